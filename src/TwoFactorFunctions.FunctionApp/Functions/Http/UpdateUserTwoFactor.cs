using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>PUT /api/tenants/{tenantId}/users/{userId}/two-factor. See <see cref="Api.Handlers.UpdateUserTwoFactor"/>.</summary>
public sealed class UpdateUserTwoFactorFunction(ApiPipeline api)
{
    [Function("UpdateUserTwoFactor")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/tenants/{tenantId}/users/{userId}/two-factor")] HttpRequest request) =>
        api.Dispatch();
}
