using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Accounts;
using TwoFactorFunctions.Core.Challenges;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// POST /api/tenants/{tenantId}/users/{userId}/contact-changes — <c>{email}</c> or <c>{phone}</c>: sends a code to the
/// new contact. Verify it with VerifyChallenge, then CompleteContactChange applies the change.
/// </summary>
public static class StartContactChange
{
    public sealed record Body(string? Email, string? Phone);

    public static async Task<Results<Created<ChallengeView>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, [FromHeader(Name = DevicesApi.ActorHeader)] string? actorId, Body body,
        UserTwoFactorService accounts, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await accounts.StartContactChangeAsync(tenantId, userId, actorId, body.Email, body.Phone, cancellationToken);
        return result.IsSuccess
            ? TypedResults.Created($"/api/tenants/{tenantId}/challenges/{result.Value!.ChallengeId}", result.Value)
            : ApiProblem.From(result.Error!, context);
    }
}
