using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET <see cref="DirectoryApi.Routes.User"/>. See <see cref="Api.Handlers.GetUser"/>.</summary>
public sealed class GetUserFunction(ApiPipeline api)
{
    [Function(nameof(GetUser))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = DirectoryApi.Routes.User)] HttpRequest request) =>
        api.Dispatch();
}
