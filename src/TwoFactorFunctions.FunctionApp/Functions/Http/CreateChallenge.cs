using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST /api/tenants/{tenantId}/challenges. See <see cref="Api.Handlers.CreateChallenge"/>.</summary>
public sealed class CreateChallengeFunction(ApiPipeline api)
{
    [Function("CreateChallenge")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/tenants/{tenantId}/challenges")] HttpRequest request) =>
        api.Dispatch();
}
