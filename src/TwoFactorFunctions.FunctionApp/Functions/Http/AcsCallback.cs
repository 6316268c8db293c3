using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST <see cref="AcsCallbacksApi.Routes.Callbacks"/>. Call Automation events; answers 404 unless ACS places the calls (Messaging:PhoneProvider=Acs).</summary>
public sealed class AcsCallbackFunction(ApiPipeline api)
{
    [Function(nameof(AcsCallback))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AcsCallbacksApi.Routes.Callbacks)] HttpRequest request) =>
        api.Dispatch();
}
