using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using TwoFactorFunctions.Api.Hosting;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.FunctionApp.Durable;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET /api/tenants/{tenantId}/two-factor. See <see cref="Api.Handlers.GetTwoFactorSettings"/>.</summary>
public sealed class GetTwoFactorSettingsFunction(ApiPipeline api, EnrolmentOptions options)
{
    [Function("GetTwoFactorSettings")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/tenants/{tenantId}/two-factor")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        api.Dispatch(new DurableClientEnrolmentEngine(client, options));
}
