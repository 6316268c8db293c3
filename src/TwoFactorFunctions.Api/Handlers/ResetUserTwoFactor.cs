using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Accounts;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// POST <see cref="AccountsApi.Routes.TwoFactorReset"/> — <c>{verifiedChallengeId}</c>: another admin, with a
/// step-up they just verified (CreateAdminStepUp), removes the user's authenticator and recovery codes and forgets
/// their devices; the user verifies again at the next sign-in. Never for oneself.
/// </summary>
public static class ResetUserTwoFactor
{
    public sealed record Body(string? VerifiedChallengeId);

    public static async Task<Results<Ok<UserTwoFactorStatus>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, [FromHeader(Name = DevicesApi.ActorHeader)] string? actorId,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] Body? body,
        UserTwoFactorService accounts, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await accounts.ResetAsync(tenantId, userId, actorId, body?.VerifiedChallengeId, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblem.From(result.Error, context);
    }
}
