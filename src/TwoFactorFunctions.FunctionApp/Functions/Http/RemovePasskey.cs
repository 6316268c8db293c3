using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>DELETE <see cref="PasskeysApi.Routes.Passkey"/>. See <see cref="Api.Handlers.RemovePasskey"/>.</summary>
public sealed class RemovePasskeyFunction(ApiPipeline api)
{
    [Function(nameof(RemovePasskey))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = PasskeysApi.Routes.Passkey)] HttpRequest request) =>
        api.Dispatch();
}
