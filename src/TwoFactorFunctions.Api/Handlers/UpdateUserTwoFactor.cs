using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Accounts;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// PUT <see cref="AccountsApi.Routes.TwoFactor"/> — the user turns their own 2FA on or off (UserOptIn mode),
/// with the id of a challenge they just verified. In RequiredForAll mode it cannot be turned off.
/// </summary>
public static class UpdateUserTwoFactor
{
    public sealed record Body(bool? Enabled, string? VerifiedChallengeId);

    public static async Task<Results<Ok<UserTwoFactorStatus>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, [FromHeader(Name = DevicesApi.ActorHeader)] string? actorId, Body body,
        UserTwoFactorService accounts, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await accounts.ChangeAsync(tenantId, userId, actorId, body.Enabled, body.VerifiedChallengeId, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblem.From(result.Error, context);
    }
}
