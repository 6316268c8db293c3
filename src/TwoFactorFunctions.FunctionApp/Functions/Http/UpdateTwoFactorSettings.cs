using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using TwoFactorFunctions.Api.Hosting;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.FunctionApp.Durable;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>PUT /api/tenants/{tenantId}/two-factor. See <see cref="Api.Handlers.UpdateTwoFactorSettings"/>.</summary>
public sealed class UpdateTwoFactorSettingsFunction(ApiPipeline api, EnrolmentOptions options)
{
    [Function("UpdateTwoFactorSettings")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/tenants/{tenantId}/two-factor")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        api.Dispatch(new DurableClientEnrolmentEngine(client, options));
}
