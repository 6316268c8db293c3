using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET <see cref="PasskeysApi.Routes.Passkeys"/>. See <see cref="Api.Handlers.ListPasskeys"/>.</summary>
public sealed class ListPasskeysFunction(ApiPipeline api)
{
    [Function(nameof(ListPasskeys))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PasskeysApi.Routes.Passkeys)] HttpRequest request) =>
        api.Dispatch();
}
