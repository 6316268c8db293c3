using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST /api/tenants/{tenantId}/users/{userId}/contact-changes. See <see cref="Api.Handlers.StartContactChange"/>.</summary>
public sealed class StartContactChangeFunction(ApiPipeline api)
{
    [Function("StartContactChange")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/tenants/{tenantId}/users/{userId}/contact-changes")] HttpRequest request) =>
        api.Dispatch();
}
