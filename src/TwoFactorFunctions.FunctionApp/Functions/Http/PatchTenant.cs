using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>PATCH <see cref="DirectoryApi.Routes.Tenant"/>. See <see cref="Api.Handlers.PatchTenant"/>.</summary>
public sealed class PatchTenantFunction(ApiPipeline api)
{
    [Function(nameof(PatchTenant))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = DirectoryApi.Routes.Tenant)] HttpRequest request) =>
        api.Dispatch();
}
