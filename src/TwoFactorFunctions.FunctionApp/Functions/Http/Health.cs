using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET <see cref="HealthApi.Routes.Health"/>: readiness (storage, task hub, senders). No key needed.</summary>
public sealed class HealthFunction(ApiPipeline api)
{
    [Function(nameof(Health))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = HealthApi.Routes.Health)] HttpRequest request) =>
        api.Dispatch();
}
