using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET /api/tenants/{tenantId}/challenges/{challengeId}. See <see cref="Api.Handlers.GetChallenge"/>.</summary>
public sealed class GetChallengeFunction(ApiPipeline api)
{
    [Function("GetChallenge")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/tenants/{tenantId}/challenges/{challengeId}")] HttpRequest request) =>
        api.Dispatch();
}
