using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET <see cref="DirectoryApi.Routes.Tenant"/>. See <see cref="Api.Handlers.GetTenant"/>.</summary>
public sealed class GetTenantFunction(ApiPipeline api)
{
    [Function(nameof(GetTenant))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = DirectoryApi.Routes.Tenant)] HttpRequest request) =>
        api.Dispatch();
}
