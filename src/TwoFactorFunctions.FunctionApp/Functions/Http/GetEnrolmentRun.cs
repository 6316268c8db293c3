using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using TwoFactorFunctions.Api.Hosting;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.FunctionApp.Durable;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET /api/tenants/{tenantId}/enrolment-runs/{runId}. See <see cref="Api.Handlers.GetEnrolmentRun"/>.</summary>
public sealed class GetEnrolmentRunFunction(ApiPipeline api, EnrolmentOptions options)
{
    [Function("GetEnrolmentRun")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/tenants/{tenantId}/enrolment-runs/{runId}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        api.Dispatch(new DurableClientEnrolmentEngine(client, options));
}
