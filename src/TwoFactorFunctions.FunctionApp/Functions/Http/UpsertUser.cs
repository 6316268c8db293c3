using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>PUT <see cref="DirectoryApi.Routes.User"/>. See <see cref="Api.Handlers.UpsertUser"/>.</summary>
public sealed class UpsertUserFunction(ApiPipeline api)
{
    [Function(nameof(UpsertUser))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = DirectoryApi.Routes.User)] HttpRequest request) =>
        api.Dispatch();
}
