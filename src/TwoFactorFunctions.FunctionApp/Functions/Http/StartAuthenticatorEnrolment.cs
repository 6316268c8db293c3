using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST <see cref="FactorsApi.Routes.Authenticator"/>. See <see cref="Api.Handlers.StartAuthenticatorEnrolment"/>.</summary>
public sealed class StartAuthenticatorEnrolmentFunction(ApiPipeline api)
{
    [Function(nameof(StartAuthenticatorEnrolment))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FactorsApi.Routes.Authenticator)] HttpRequest request) =>
        api.Dispatch();
}
