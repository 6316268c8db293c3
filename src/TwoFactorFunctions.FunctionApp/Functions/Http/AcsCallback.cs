using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST /api/acs/callbacks. Call Automation events; answers 404 unless ACS places the calls (Messaging:PhoneProvider=Acs).</summary>
public sealed class AcsCallbackFunction(ApiPipeline api)
{
    [Function("AcsCallback")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/acs/callbacks")] HttpRequest request) =>
        api.Dispatch();
}
