using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST /api/tenants/{tenantId}/challenges/{challengeId}/verify. See <see cref="Api.Handlers.VerifyChallenge"/>.</summary>
public sealed class VerifyChallengeFunction(ApiPipeline api)
{
    [Function("VerifyChallenge")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/tenants/{tenantId}/challenges/{challengeId}/verify")] HttpRequest request) =>
        api.Dispatch();
}
