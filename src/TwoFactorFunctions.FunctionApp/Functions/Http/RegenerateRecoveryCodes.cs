using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST /api/tenants/{tenantId}/users/{userId}/recovery-codes. See <see cref="Api.Handlers.RegenerateRecoveryCodes"/>.</summary>
public sealed class RegenerateRecoveryCodesFunction(ApiPipeline api)
{
    [Function("RegenerateRecoveryCodes")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/tenants/{tenantId}/users/{userId}/recovery-codes")] HttpRequest request) =>
        api.Dispatch();
}
