using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST /api/tenants/{tenantId}/users/{userId}/password-checks. See <see cref="Api.Handlers.CheckPassword"/>.</summary>
public sealed class CheckPasswordFunction(ApiPipeline api)
{
    [Function("CheckPassword")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/tenants/{tenantId}/users/{userId}/password-checks")] HttpRequest request) =>
        api.Dispatch();
}
