using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST <see cref="AccountsApi.Routes.Unlock"/>. See <see cref="Api.Handlers.UnlockUser"/>.</summary>
public sealed class UnlockUserFunction(ApiPipeline api)
{
    [Function(nameof(UnlockUser))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AccountsApi.Routes.Unlock)] HttpRequest request) =>
        api.Dispatch();
}
