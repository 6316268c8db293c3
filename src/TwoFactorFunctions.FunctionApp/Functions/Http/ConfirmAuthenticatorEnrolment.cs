using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST <see cref="FactorsApi.Routes.AuthenticatorConfirmation"/>. See <see cref="Api.Handlers.ConfirmAuthenticatorEnrolment"/>.</summary>
public sealed class ConfirmAuthenticatorEnrolmentFunction(ApiPipeline api)
{
    [Function(nameof(ConfirmAuthenticatorEnrolment))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FactorsApi.Routes.AuthenticatorConfirmation)] HttpRequest request) =>
        api.Dispatch();
}
