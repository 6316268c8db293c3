using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Actions;
using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Factors;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// POST <see cref="ChallengesApi.Routes.Verify"/> — check the code (by default the one sent; with
/// <c>factor</c> Authenticator or RecoveryCode, one of those, if the challenge lists it); optionally remember the device.
/// </summary>
public static class VerifyChallenge
{
    public sealed record Body(string? Code, bool? RememberDevice, string? DeviceLabel, Factor? Factor);

    /// <summary>
    /// The device token is shown once, here; only its hash is kept. For a sign-in, <c>requiredActions</c> are what the
    /// portal runs next, and <c>complete</c> says none are left. <c>enrolmentOnly</c>: the code was accepted only so the
    /// user can enrol an authenticator app (the company's policy accepts no codes); the portal allows nothing else.
    /// </summary>
    public sealed record VerifyResult(bool Verified, ChallengeView Challenge, string? DeviceToken, DateTimeOffset? DeviceTokenExpiresAt,
        IReadOnlyList<RequiredAction> RequiredActions, bool Complete)
    {
        public bool AuthenticatorEnrolmentRequired { get; init; }

        public bool EnrolmentOnly { get; init; }
    }

    public static async Task<Results<Ok<VerifyResult>, ProblemHttpResult>> HandleAsync(
        string tenantId, string challengeId, Body body, ChallengeVerifier verifier, HttpContext context, CancellationToken cancellationToken)
    {
        var request = new VerifyRequest(tenantId, challengeId, body.Code ?? "", body.RememberDevice ?? false, body.DeviceLabel)
        {
            Factor = body.Factor ?? Core.Factors.Factor.Code,
        };
        var result = await verifier.VerifyAsync(request, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiProblem.From(result.Error, context);
        }

        var outcome = result.Value;
        return TypedResults.Ok(new VerifyResult(true, outcome.Challenge, outcome.Device?.Token, outcome.Device?.ExpiresAt,
            outcome.RequiredActions, outcome.Complete)
        {
            AuthenticatorEnrolmentRequired = outcome.AuthenticatorEnrolmentRequired,
            EnrolmentOnly = outcome.EnrolmentOnly,
        });
    }
}
