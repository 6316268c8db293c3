using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST <see cref="FactorsApi.Routes.RecoveryCodes"/>. See <see cref="Api.Handlers.RegenerateRecoveryCodes"/>.</summary>
public sealed class RegenerateRecoveryCodesFunction(ApiPipeline api)
{
    [Function(nameof(RegenerateRecoveryCodes))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FactorsApi.Routes.RecoveryCodes)] HttpRequest request) =>
        api.Dispatch();
}
