using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET /api/health/live: liveness, no dependency checked. No key needed.</summary>
public sealed class LivenessFunction(ApiPipeline api)
{
    [Function("Liveness")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health/live")] HttpRequest request) =>
        api.Dispatch();
}
