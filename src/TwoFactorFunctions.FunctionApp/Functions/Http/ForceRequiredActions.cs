using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST <see cref="RequiredActionsApi.Routes.RequiredActions"/>. See <see cref="Api.Handlers.ForceRequiredActions"/>.</summary>
public sealed class ForceRequiredActionsFunction(ApiPipeline api)
{
    [Function(nameof(ForceRequiredActions))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = RequiredActionsApi.Routes.RequiredActions)] HttpRequest request) =>
        api.Dispatch();
}
