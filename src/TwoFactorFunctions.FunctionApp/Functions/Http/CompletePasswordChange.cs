using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST <see cref="RequiredActionsApi.Routes.PasswordChanges"/>. See <see cref="Api.Handlers.CompletePasswordChange"/>.</summary>
public sealed class CompletePasswordChangeFunction(ApiPipeline api)
{
    [Function(nameof(CompletePasswordChange))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = RequiredActionsApi.Routes.PasswordChanges)] HttpRequest request) =>
        api.Dispatch();
}
