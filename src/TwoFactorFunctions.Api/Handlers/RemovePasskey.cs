using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Factors.Passkeys;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// DELETE <see cref="PasskeysApi.Routes.Passkey"/>?verifiedChallengeId=… — the user removes one of their passkeys, with a
/// SelfService challenge they just verified. Answers the passkeys left.
/// </summary>
public static class RemovePasskey
{
    public static async Task<Results<Ok<PasskeyList>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, string passkeyId, [FromHeader(Name = DevicesApi.ActorHeader)] string? actorId,
        [FromQuery] string? verifiedChallengeId, PasskeyService passkeys, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await passkeys.RemoveAsync(tenantId, userId, actorId, passkeyId, verifiedChallengeId, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblem.From(result.Error, context);
    }
}
