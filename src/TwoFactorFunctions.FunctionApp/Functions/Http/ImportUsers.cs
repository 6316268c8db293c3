using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST /api/tenants/{tenantId}/user-imports. See <see cref="Api.Handlers.ImportUsers"/>.</summary>
public sealed class ImportUsersFunction(ApiPipeline api)
{
    [Function("ImportUsers")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/tenants/{tenantId}/user-imports")] HttpRequest request) =>
        api.Dispatch();
}
