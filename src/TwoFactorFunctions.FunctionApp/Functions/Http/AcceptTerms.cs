using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST /api/tenants/{tenantId}/users/{userId}/terms-acceptances. See <see cref="Api.Handlers.AcceptTerms"/>.</summary>
public sealed class AcceptTermsFunction(ApiPipeline api)
{
    [Function("AcceptTerms")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/tenants/{tenantId}/users/{userId}/terms-acceptances")] HttpRequest request) =>
        api.Dispatch();
}
