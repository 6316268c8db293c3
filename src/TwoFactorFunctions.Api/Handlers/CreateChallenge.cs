using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Actions;
using TwoFactorFunctions.Core.Challenges;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>POST <see cref="ChallengesApi.Routes.Challenges"/> — decide whether this sign-in needs a code, and issue one if so.</summary>
public static class CreateChallenge
{
    [JsonConverter(typeof(JsonStringEnumConverter<SendMode>))]
    public enum SendMode
    {
        /// <summary>Send the code at once (the seed's "Send email automatically" switch on).</summary>
        Auto,

        /// <summary>Wait until the user presses "Send" (POST .../send).</summary>
        Manual,
    }

    public sealed record Body(string? UserId, string? DeviceToken, SendMode? Send);

    /// <summary>
    /// Either <c>required: false</c> with a reason, or <c>required: true</c> with the challenge; and the pending required
    /// actions in order. <c>complete</c> only when neither a code nor an action is outstanding.
    /// </summary>
    /// <remarks>
    /// <c>challengeToken</c> comes once, with a new challenge: the portal's server passes it to the browser, which sends it
    /// as <c>X-Challenge-Token</c> to resend and verify this challenge (and nothing else) without a function key.
    /// <c>authenticatorEnrolmentRequired</c>: the tenant wants this user on an authenticator app and they have none yet.
    /// </remarks>
    public sealed record Decision(bool Required, NotRequiredReason? Reason, ChallengeView? Challenge, IReadOnlyList<RequiredAction> RequiredActions, bool Complete,
        string? ChallengeToken = null)
    {
        public bool AuthenticatorEnrolmentRequired { get; init; }

        public bool PasskeyEnrolmentRequired { get; init; }
    }

    public static async Task<Results<Ok<Decision>, Created<Decision>, ProblemHttpResult>> HandleAsync(
        string tenantId, Body body, SignInService signIn, HttpContext context, CancellationToken cancellationToken)
    {
        var request = new SignInChallengeRequest(tenantId, body.UserId ?? "", body.DeviceToken, body.Send != SendMode.Manual);
        var result = await signIn.CreateSignInChallengeAsync(request, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiProblem.From(result.Error, context);
        }

        var decision = result.Value;
        if (decision.Challenge is not { } challenge)
        {
            return TypedResults.Ok(new Decision(false, decision.NotRequiredReason, null, decision.RequiredActions, decision.Complete));
        }

        return TypedResults.Created($"/api/tenants/{tenantId}/challenges/{challenge.ChallengeId}",
            new Decision(true, null, challenge, decision.RequiredActions, false, decision.BrowserToken)
                {
                    AuthenticatorEnrolmentRequired = decision.AuthenticatorEnrolmentRequired,
                    PasskeyEnrolmentRequired = decision.PasskeyEnrolmentRequired,
                });
    }
}
