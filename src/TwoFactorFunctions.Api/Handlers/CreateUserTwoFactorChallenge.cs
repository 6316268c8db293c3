using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Accounts;
using TwoFactorFunctions.Core.Challenges;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// POST <see cref="AccountsApi.Routes.TwoFactorChallenges"/> — the user asks for a code over the company's
/// channel, to prove it before turning their 2FA on or off. Verify it with VerifyChallenge, then call UpdateUserTwoFactor.
/// </summary>
public static class CreateUserTwoFactorChallenge
{
    public static async Task<Results<Created<ChallengeView>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, [FromHeader(Name = DevicesApi.ActorHeader)] string? actorId,
        UserTwoFactorService accounts, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await accounts.StartChangeAsync(tenantId, userId, actorId, cancellationToken);
        return result.IsSuccess
            ? TypedResults.Created($"/api/tenants/{tenantId}/challenges/{result.Value.ChallengeId}", result.Value)
            : ApiProblem.From(result.Error, context);
    }
}
