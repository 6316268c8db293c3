using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Challenges;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>POST /api/tenants/{tenantId}/challenges/{challengeId}/verify — check the code; optionally remember the device.</summary>
public static class VerifyChallenge
{
    public sealed record Body(string? Code, bool? RememberDevice, string? DeviceLabel);

    /// <summary>The device token is shown once, here; only its hash is kept.</summary>
    public sealed record VerifyResult(bool Verified, ChallengeView Challenge, string? DeviceToken, DateTimeOffset? DeviceTokenExpiresAt);

    public static async Task<Results<Ok<VerifyResult>, ProblemHttpResult>> HandleAsync(
        string tenantId, string challengeId, Body body, ChallengeService challenges, HttpContext context, CancellationToken cancellationToken)
    {
        var request = new VerifyRequest(tenantId, challengeId, body.Code ?? "", body.RememberDevice ?? false, body.DeviceLabel);
        var result = await challenges.VerifyAsync(request, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiProblem.From(result.Error!, context);
        }

        var outcome = result.Value!;
        return TypedResults.Ok(new VerifyResult(true, outcome.Challenge, outcome.Device?.Token, outcome.Device?.ExpiresAt));
    }
}
