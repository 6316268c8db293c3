using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST /api/tenants/{tenantId}/users/{userId}/required-actions. See <see cref="Api.Handlers.ForceRequiredActions"/>.</summary>
public sealed class ForceRequiredActionsFunction(ApiPipeline api)
{
    [Function("ForceRequiredActions")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/tenants/{tenantId}/users/{userId}/required-actions")] HttpRequest request) =>
        api.Dispatch();
}
