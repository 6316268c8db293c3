using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET <see cref="HealthApi.Routes.Live"/>: liveness, no dependency checked. No key needed.</summary>
public sealed class LivenessFunction(ApiPipeline api)
{
    [Function(nameof(Liveness))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = HealthApi.Routes.Live)] HttpRequest request) =>
        api.Dispatch();
}
