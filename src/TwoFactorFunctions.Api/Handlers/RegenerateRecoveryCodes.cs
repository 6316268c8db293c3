using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.Core.Messaging;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// POST <see cref="FactorsApi.Routes.RecoveryCodes"/> — a new set of 10 recovery codes (shown once), with a
/// SelfService challenge the user just verified; the previous set stops working. The user is notified by email.
/// </summary>
public static class RegenerateRecoveryCodes
{
    public sealed record Body(string? VerifiedChallengeId);

    public static async Task<Results<Created<RecoveryCodesResult>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, [FromHeader(Name = DevicesApi.ActorHeader)] string? actorId, Body body,
        AuthenticatorService authenticators, AccountNotices notices, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await authenticators.RegenerateRecoveryCodesAsync(tenantId, userId, actorId, body.VerifiedChallengeId, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiProblem.From(result.Error, context);
        }

        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/api/tenants/{tenantId}/users/{userId}/factors", RecoveryCodesResult.From(result.Value, notices.ProductName));
    }
}
