using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST <see cref="PasskeysApi.Routes.Passkeys"/>. See <see cref="Api.Handlers.FinishPasskeyRegistration"/>.</summary>
public sealed class FinishPasskeyRegistrationFunction(ApiPipeline api)
{
    [Function(nameof(FinishPasskeyRegistration))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PasskeysApi.Routes.Passkeys)] HttpRequest request) =>
        api.Dispatch();
}
