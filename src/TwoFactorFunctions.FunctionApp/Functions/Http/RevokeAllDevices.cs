using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>DELETE <see cref="DevicesApi.Routes.Devices"/>. See <see cref="Api.Handlers.RevokeAllDevices"/>.</summary>
public sealed class RevokeAllDevicesFunction(ApiPipeline api)
{
    [Function(nameof(RevokeAllDevices))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = DevicesApi.Routes.Devices)] HttpRequest request) =>
        api.Dispatch();
}
