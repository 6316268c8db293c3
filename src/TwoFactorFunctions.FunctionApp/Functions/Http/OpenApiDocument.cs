using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET /openapi/v1.json. The OpenAPI document of this API.</summary>
public sealed class OpenApiDocumentFunction(ApiPipeline api)
{
    [Function("OpenApiDocument")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi/v1.json")] HttpRequest request) =>
        api.Dispatch();
}
