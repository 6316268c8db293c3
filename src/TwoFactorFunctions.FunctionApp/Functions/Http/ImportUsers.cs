using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST <see cref="DirectoryApi.Routes.UserImports"/>. See <see cref="Api.Handlers.ImportUsers"/>.</summary>
public sealed class ImportUsersFunction(ApiPipeline api)
{
    [Function(nameof(ImportUsers))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = DirectoryApi.Routes.UserImports)] HttpRequest request) =>
        api.Dispatch();
}
