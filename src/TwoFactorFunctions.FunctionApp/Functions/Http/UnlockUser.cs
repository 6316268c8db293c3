using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST /api/tenants/{tenantId}/users/{userId}/unlock. See <see cref="Api.Handlers.UnlockUser"/>.</summary>
public sealed class UnlockUserFunction(ApiPipeline api)
{
    [Function("UnlockUser")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/tenants/{tenantId}/users/{userId}/unlock")] HttpRequest request) =>
        api.Dispatch();
}
