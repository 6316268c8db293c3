using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>
/// OPTIONS on any route: a browser's CORS preflight, answered by the API's own CORS policy (the standalone host's
/// middleware answers it the same way, before any route). No other function accepts OPTIONS, so this one gets them all;
/// keep the platform's CORS setting empty so this rule is the only one.
/// </summary>
public sealed class CorsPreflightFunction(ApiPipeline api)
{
    [Function("CorsPreflight")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "options", Route = "{*path}")] HttpRequest request) =>
        api.Dispatch();
}
