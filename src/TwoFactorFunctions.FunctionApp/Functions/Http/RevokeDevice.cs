using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>DELETE <see cref="DevicesApi.Routes.Device"/>. See <see cref="Api.Handlers.RevokeDevice"/>.</summary>
public sealed class RevokeDeviceFunction(ApiPipeline api)
{
    [Function(nameof(RevokeDevice))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = DevicesApi.Routes.Device)] HttpRequest request) =>
        api.Dispatch();
}
