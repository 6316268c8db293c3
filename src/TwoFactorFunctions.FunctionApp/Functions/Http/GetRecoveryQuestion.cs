using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET <see cref="RequiredActionsApi.Routes.RecoveryQuestion"/>. See <see cref="Api.Handlers.GetRecoveryQuestion"/>.</summary>
public sealed class GetRecoveryQuestionFunction(ApiPipeline api)
{
    [Function(nameof(GetRecoveryQuestion))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = RequiredActionsApi.Routes.RecoveryQuestion)] HttpRequest request) =>
        api.Dispatch();
}
