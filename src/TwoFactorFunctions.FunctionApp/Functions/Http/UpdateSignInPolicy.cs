using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>PUT <see cref="RequiredActionsApi.Routes.SignInPolicy"/>. See <see cref="Api.Handlers.UpdateSignInPolicy"/>.</summary>
public sealed class UpdateSignInPolicyFunction(ApiPipeline api)
{
    [Function(nameof(UpdateSignInPolicy))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = RequiredActionsApi.Routes.SignInPolicy)] HttpRequest request) =>
        api.Dispatch();
}
