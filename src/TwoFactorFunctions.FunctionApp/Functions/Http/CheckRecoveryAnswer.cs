using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST <see cref="RequiredActionsApi.Routes.RecoveryAnswerChecks"/>. See <see cref="Api.Handlers.CheckRecoveryAnswer"/>.</summary>
public sealed class CheckRecoveryAnswerFunction(ApiPipeline api)
{
    [Function(nameof(CheckRecoveryAnswer))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = RequiredActionsApi.Routes.RecoveryAnswerChecks)] HttpRequest request) =>
        api.Dispatch();
}
