using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>PUT <see cref="RequiredActionsApi.Routes.RecoveryQuestion"/>. See <see cref="Api.Handlers.SetRecoveryQuestion"/>.</summary>
public sealed class SetRecoveryQuestionFunction(ApiPipeline api)
{
    [Function(nameof(SetRecoveryQuestion))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = RequiredActionsApi.Routes.RecoveryQuestion)] HttpRequest request) =>
        api.Dispatch();
}
