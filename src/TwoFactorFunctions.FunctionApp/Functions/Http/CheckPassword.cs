using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST <see cref="RequiredActionsApi.Routes.PasswordChecks"/>. See <see cref="Api.Handlers.CheckPassword"/>.</summary>
public sealed class CheckPasswordFunction(ApiPipeline api)
{
    [Function(nameof(CheckPassword))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = RequiredActionsApi.Routes.PasswordChecks)] HttpRequest request) =>
        api.Dispatch();
}
