using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST /api/tenants/{tenantId}/users/{userId}/contact-changes/{challengeId}/complete. See <see cref="Api.Handlers.CompleteContactChange"/>.</summary>
public sealed class CompleteContactChangeFunction(ApiPipeline api)
{
    [Function("CompleteContactChange")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/tenants/{tenantId}/users/{userId}/contact-changes/{challengeId}/complete")] HttpRequest request) =>
        api.Dispatch();
}
