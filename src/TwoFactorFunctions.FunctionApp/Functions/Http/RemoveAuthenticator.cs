using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>DELETE /api/tenants/{tenantId}/users/{userId}/authenticator. See <see cref="Api.Handlers.RemoveAuthenticator"/>.</summary>
public sealed class RemoveAuthenticatorFunction(ApiPipeline api)
{
    [Function("RemoveAuthenticator")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/tenants/{tenantId}/users/{userId}/authenticator")] HttpRequest request) =>
        api.Dispatch();
}
