using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>DELETE /api/tenants/{tenantId}/users/{userId}. See <see cref="Api.Handlers.DeleteUser"/>.</summary>
public sealed class DeleteUserFunction(ApiPipeline api)
{
    [Function("DeleteUser")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/tenants/{tenantId}/users/{userId}")] HttpRequest request) =>
        api.Dispatch();
}
