using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>DELETE <see cref="FactorsApi.Routes.Authenticator"/>. See <see cref="Api.Handlers.RemoveAuthenticator"/>.</summary>
public sealed class RemoveAuthenticatorFunction(ApiPipeline api)
{
    [Function(nameof(RemoveAuthenticator))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = FactorsApi.Routes.Authenticator)] HttpRequest request) =>
        api.Dispatch();
}
