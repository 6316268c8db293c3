using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST /api/tenants/{tenantId}/terms. See <see cref="Api.Handlers.PublishTerms"/>.</summary>
public sealed class PublishTermsFunction(ApiPipeline api)
{
    [Function("PublishTerms")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/tenants/{tenantId}/terms")] HttpRequest request) =>
        api.Dispatch();
}
