using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET <see cref="DevOutboxApi.Routes.Outbox"/>. Development only (404 elsewhere): SMS and calls the dev outbox kept for the tenant.</summary>
public sealed class DevOutboxFunction(ApiPipeline api)
{
    [Function(nameof(DevOutbox))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = DevOutboxApi.Routes.Outbox)] HttpRequest request) =>
        api.Dispatch();
}
