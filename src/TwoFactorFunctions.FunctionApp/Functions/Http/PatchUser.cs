using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>PATCH <see cref="DirectoryApi.Routes.User"/>. See <see cref="Api.Handlers.PatchUser"/>.</summary>
public sealed class PatchUserFunction(ApiPipeline api)
{
    [Function(nameof(PatchUser))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = DirectoryApi.Routes.User)] HttpRequest request) =>
        api.Dispatch();
}
