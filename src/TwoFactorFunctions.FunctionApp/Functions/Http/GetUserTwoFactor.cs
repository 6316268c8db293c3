using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET <see cref="AccountsApi.Routes.TwoFactor"/>. See <see cref="Api.Handlers.GetUserTwoFactor"/>.</summary>
public sealed class GetUserTwoFactorFunction(ApiPipeline api)
{
    [Function(nameof(GetUserTwoFactor))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = AccountsApi.Routes.TwoFactor)] HttpRequest request) =>
        api.Dispatch();
}
