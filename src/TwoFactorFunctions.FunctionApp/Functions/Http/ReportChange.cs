using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST /api/tenants/{tenantId}/users/{userId}/change-reports. See <see cref="Api.Handlers.ReportChange"/>.</summary>
public sealed class ReportChangeFunction(ApiPipeline api)
{
    [Function("ReportChange")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/tenants/{tenantId}/users/{userId}/change-reports")] HttpRequest request) =>
        api.Dispatch();
}
