using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Actions;
using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Factors;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// POST <see cref="ChallengesApi.Routes.Verify"/> — check the code (by default the one sent; with
/// <c>factor</c> Authenticator or RecoveryCode, one of those, if the challenge lists it), or with <c>factor</c> Passkey
/// the browser's <c>credential</c> (<c>PublicKeyCredential.toJSON()</c> after <c>navigator.credentials.get()</c> with
/// the challenge's passkey options); optionally remember the device.
/// </summary>
public static class VerifyChallenge
{
    public sealed record Body(string? Code, bool? RememberDevice, string? DeviceLabel, Factor? Factor, JsonElement? Credential);

    /// <summary>
    /// The device token is shown once, here; only its hash is kept. For a sign-in, <c>requiredActions</c> are what the
    /// portal runs next, and <c>complete</c> says none are left. <c>enrolmentOnly</c>: the code was accepted only so the
    /// user can enrol an authenticator app (the company's policy accepts no codes); the portal allows nothing else.
    /// </summary>
    public sealed record VerifyResult(bool Verified, ChallengeView Challenge, string? DeviceToken, DateTimeOffset? DeviceTokenExpiresAt,
        IReadOnlyList<RequiredAction> RequiredActions, bool Complete)
    {
        public bool AuthenticatorEnrolmentRequired { get; init; }

        public bool PasskeyEnrolmentRequired { get; init; }

        public bool EnrolmentOnly { get; init; }
    }

    public static async Task<Results<Ok<VerifyResult>, ProblemHttpResult>> HandleAsync(
        string tenantId, string challengeId, Body body, ChallengeVerifier verifier, HttpContext context, CancellationToken cancellationToken)
    {
        var factor = body.Factor ?? Core.Factors.Factor.Code;
        // A passkey answers with the browser's credential object; the verifier takes it as its JSON text.
        var answer = factor == Core.Factors.Factor.Passkey
            ? body.Credential is { ValueKind: JsonValueKind.Object } credential ? credential.GetRawText() : ""
            : body.Code ?? "";
        var request = new VerifyRequest(tenantId, challengeId, answer, body.RememberDevice ?? false, body.DeviceLabel) { Factor = factor };
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
            PasskeyEnrolmentRequired = outcome.PasskeyEnrolmentRequired,
            EnrolmentOnly = outcome.EnrolmentOnly,
        });
    }
}
