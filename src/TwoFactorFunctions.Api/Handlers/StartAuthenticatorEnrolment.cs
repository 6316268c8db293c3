using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Factors;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// POST <see cref="FactorsApi.Routes.Authenticator"/> — the user starts adding an authenticator app, with the id
/// of a SelfService challenge they just verified. The secret is shown once: as text, as an otpauth:// URI and as a QR
/// code of that URI. Nothing is active until ConfirmAuthenticatorEnrolment gets a first valid code.
/// </summary>
public static class StartAuthenticatorEnrolment
{
    public sealed record Body(string? VerifiedChallengeId);

    public sealed record Enrolment(string Secret, string OtpAuthUri, string QrCodePng, DateTimeOffset ExpiresAt);

    public static async Task<Results<Created<Enrolment>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, [FromHeader(Name = DevicesApi.ActorHeader)] string? actorId, Body body,
        AuthenticatorEnrolmentService authenticators, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await authenticators.StartEnrolmentAsync(tenantId, userId, actorId, body.VerifiedChallengeId, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiProblem.From(result.Error, context);
        }

        // The secret must not be kept by anything between here and the user's screen.
        context.Response.Headers.CacheControl = "no-store";
        var enrolment = result.Value;
        return TypedResults.Created($"/api/tenants/{tenantId}/users/{userId}/factors",
            new Enrolment(enrolment.Secret, enrolment.OtpAuthUri, QrCodes.PngDataUri(enrolment.OtpAuthUri), enrolment.ExpiresAt));
    }
}
