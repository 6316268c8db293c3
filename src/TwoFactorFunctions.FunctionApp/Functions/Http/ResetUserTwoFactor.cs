using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST /api/tenants/{tenantId}/users/{userId}/two-factor/reset. See <see cref="Api.Handlers.ResetUserTwoFactor"/>.</summary>
public sealed class ResetUserTwoFactorFunction(ApiPipeline api)
{
    [Function("ResetUserTwoFactor")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/tenants/{tenantId}/users/{userId}/two-factor/reset")] HttpRequest request) =>
        api.Dispatch();
}
