using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET /api/tenants/{tenantId}/users/{userId}. See <see cref="Api.Handlers.GetUser"/>.</summary>
public sealed class GetUserFunction(ApiPipeline api)
{
    [Function("GetUser")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/tenants/{tenantId}/users/{userId}")] HttpRequest request) =>
        api.Dispatch();
}
