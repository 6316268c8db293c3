using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST <see cref="AccountsApi.Routes.TwoFactorReset"/>. See <see cref="Api.Handlers.ResetUserTwoFactor"/>.</summary>
public sealed class ResetUserTwoFactorFunction(ApiPipeline api)
{
    [Function(nameof(ResetUserTwoFactor))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AccountsApi.Routes.TwoFactorReset)] HttpRequest request) =>
        api.Dispatch();
}
