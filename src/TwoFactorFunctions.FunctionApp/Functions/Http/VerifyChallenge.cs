using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST <see cref="ChallengesApi.Routes.Verify"/>. See <see cref="Api.Handlers.VerifyChallenge"/>.</summary>
public sealed class VerifyChallengeFunction(ApiPipeline api)
{
    [Function(nameof(VerifyChallenge))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ChallengesApi.Routes.Verify)] HttpRequest request) =>
        api.Dispatch();
}
