using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>PUT <see cref="DirectoryApi.Routes.Tenant"/>. See <see cref="Api.Handlers.UpsertTenant"/>.</summary>
public sealed class UpsertTenantFunction(ApiPipeline api)
{
    [Function(nameof(UpsertTenant))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = DirectoryApi.Routes.Tenant)] HttpRequest request) =>
        api.Dispatch();
}
