using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET <see cref="RequiredActionsApi.Routes.RequiredActions"/>. See <see cref="Api.Handlers.GetRequiredActions"/>.</summary>
public sealed class GetRequiredActionsFunction(ApiPipeline api)
{
    [Function(nameof(GetRequiredActions))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = RequiredActionsApi.Routes.RequiredActions)] HttpRequest request) =>
        api.Dispatch();
}
