using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Challenges;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>GET <see cref="ChallengesApi.Routes.Challenge"/> — the challenge's state, for the sign-in screen.</summary>
public static class GetChallenge
{
    public static async Task<Results<Ok<ChallengeView>, ProblemHttpResult>> HandleAsync(
        string tenantId, string challengeId, ChallengeService challenges, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await challenges.GetAsync(tenantId, challengeId, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblem.From(result.Error, context);
    }
}
