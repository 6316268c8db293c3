using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET <see cref="RequiredActionsApi.Routes.SignInPolicy"/>. See <see cref="Api.Handlers.GetSignInPolicy"/>.</summary>
public sealed class GetSignInPolicyFunction(ApiPipeline api)
{
    [Function(nameof(GetSignInPolicy))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = RequiredActionsApi.Routes.SignInPolicy)] HttpRequest request) =>
        api.Dispatch();
}
