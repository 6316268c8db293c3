using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST /api/tenants/{tenantId}/users/{userId}/two-factor/challenges. See <see cref="Api.Handlers.CreateUserTwoFactorChallenge"/>.</summary>
public sealed class CreateUserTwoFactorChallengeFunction(ApiPipeline api)
{
    [Function("CreateUserTwoFactorChallenge")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/tenants/{tenantId}/users/{userId}/two-factor/challenges")] HttpRequest request) =>
        api.Dispatch();
}
