using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>PUT <see cref="AccountsApi.Routes.TwoFactor"/>. See <see cref="Api.Handlers.UpdateUserTwoFactor"/>.</summary>
public sealed class UpdateUserTwoFactorFunction(ApiPipeline api)
{
    [Function(nameof(UpdateUserTwoFactor))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = AccountsApi.Routes.TwoFactor)] HttpRequest request) =>
        api.Dispatch();
}
