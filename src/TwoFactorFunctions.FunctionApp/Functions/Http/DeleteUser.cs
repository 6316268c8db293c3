using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>DELETE <see cref="DirectoryApi.Routes.User"/>. See <see cref="Api.Handlers.DeleteUser"/>.</summary>
public sealed class DeleteUserFunction(ApiPipeline api)
{
    [Function(nameof(DeleteUser))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = DirectoryApi.Routes.User)] HttpRequest request) =>
        api.Dispatch();
}
