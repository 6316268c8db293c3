using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST <see cref="PasskeysApi.Routes.Registrations"/>. See <see cref="Api.Handlers.StartPasskeyRegistration"/>.</summary>
public sealed class StartPasskeyRegistrationFunction(ApiPipeline api)
{
    [Function(nameof(StartPasskeyRegistration))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PasskeysApi.Routes.Registrations)] HttpRequest request) =>
        api.Dispatch();
}
