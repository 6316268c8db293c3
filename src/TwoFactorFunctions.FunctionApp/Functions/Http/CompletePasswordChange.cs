using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST /api/tenants/{tenantId}/users/{userId}/password-changes. See <see cref="Api.Handlers.CompletePasswordChange"/>.</summary>
public sealed class CompletePasswordChangeFunction(ApiPipeline api)
{
    [Function("CompletePasswordChange")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/tenants/{tenantId}/users/{userId}/password-changes")] HttpRequest request) =>
        api.Dispatch();
}
