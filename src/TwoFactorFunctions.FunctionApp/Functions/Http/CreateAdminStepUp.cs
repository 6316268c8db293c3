using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST <see cref="TwoFactorSettingsApi.Routes.StepUp"/>. See <see cref="Api.Handlers.CreateAdminStepUp"/>.</summary>
public sealed class CreateAdminStepUpFunction(ApiPipeline api)
{
    [Function(nameof(CreateAdminStepUp))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = TwoFactorSettingsApi.Routes.StepUp)] HttpRequest request) =>
        api.Dispatch();
}
