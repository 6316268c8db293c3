using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>PATCH <see cref="PasskeysApi.Routes.Passkey"/>. See <see cref="Api.Handlers.RenamePasskey"/>.</summary>
public sealed class RenamePasskeyFunction(ApiPipeline api)
{
    [Function(nameof(RenamePasskey))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = PasskeysApi.Routes.Passkey)] HttpRequest request) =>
        api.Dispatch();
}
