using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>PUT /api/tenants/{tenantId}/users/{userId}. See <see cref="Api.Handlers.UpsertUser"/>.</summary>
public sealed class UpsertUserFunction(ApiPipeline api)
{
    [Function("UpsertUser")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/tenants/{tenantId}/users/{userId}")] HttpRequest request) =>
        api.Dispatch();
}
