using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET <see cref="DevicesApi.Routes.Devices"/>. See <see cref="Api.Handlers.ListDevices"/>.</summary>
public sealed class ListDevicesFunction(ApiPipeline api)
{
    [Function(nameof(ListDevices))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = DevicesApi.Routes.Devices)] HttpRequest request) =>
        api.Dispatch();
}
