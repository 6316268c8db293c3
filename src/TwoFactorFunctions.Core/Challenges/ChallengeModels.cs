using TwoFactorFunctions.Core.Actions;
using TwoFactorFunctions.Core.Devices;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Factors;

namespace TwoFactorFunctions.Core.Challenges;

public enum NotRequiredReason
{
    TenantTwoFactorDisabled,
    UserNotEnrolled,
    TrustedDevice,
    FirstSignIn,
}

/// <summary>What a caller may see of a challenge: where the code went (masked) and what the user can do next.</summary>
public sealed record ChallengeView(
    string ChallengeId,
    ChallengePurpose Purpose,
    ChallengeStatus Status,
    Channel Channel,
    string MaskedDestination,
    bool CodeSent,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? ResendAvailableAt,
    int ResendsRemaining,
    int AttemptsRemaining)
{
    /// <summary>The factors the user can answer with: Code (over <see cref="Channel"/>), Authenticator, RecoveryCode, Passkey.</summary>
    public IReadOnlyList<Factor> Factors { get; init; } = [Factor.Code];

    public Factor PreferredFactor { get; init; } = Factor.Code;
}

/// <summary>
/// The answer to "what does this sign-in still need?": a second factor or not, and the user's pending required actions
/// in order. The sign-in is complete only when the code (if any) is verified and every action is done.
/// </summary>
public sealed record ChallengeDecision(NotRequiredReason? NotRequiredReason, ChallengeView? Challenge)
{
    public IReadOnlyList<RequiredAction> RequiredActions { get; init; } = [];

    /// <summary>Returned once with a new sign-in challenge, for the portal to hand to the browser (see <see cref="BrowserTokens"/>).</summary>
    public string? BrowserToken { get; init; }
    /// <summary>The tenant's policy wants this user on an authenticator app and they have none yet: send them to enrol.</summary>
    public bool AuthenticatorEnrolmentRequired { get; init; }

    /// <summary>The tenant requires a phishing-resistant factor of admins and this admin has no passkey yet: send them to add one.</summary>
    public bool PasskeyEnrolmentRequired { get; init; }

    public bool Required => Challenge is not null;

    public bool Complete => !Required && RequiredActions.Count == 0;
}

public sealed record SignInChallengeRequest(string TenantId, string UserId, string? DeviceToken, bool SendCode);

public sealed record VerifyRequest(string TenantId, string ChallengeId, string Code, bool RememberDevice, string? DeviceLabel)
{
    public Factor Factor { get; init; } = Factor.Code;
}

public sealed record VerifyOutcome(ChallengeView Challenge, IssuedDeviceToken? Device)
{
    /// <summary>For a sign-in: the required actions still to run after the code, read from the user as it is at verify.</summary>
    public IReadOnlyList<RequiredAction> RequiredActions { get; init; } = [];

    /// <summary>The tenant's policy wants this user on an authenticator app and they have none yet.</summary>
    public bool AuthenticatorEnrolmentRequired { get; init; }

    /// <summary>The tenant requires a phishing-resistant factor of admins and this admin has no passkey yet.</summary>
    public bool PasskeyEnrolmentRequired { get; init; }

    /// <summary>
    /// Answered with a code the tenant's policy does not accept (offered only so a user without an app can enrol one): the
    /// portal may let the user enrol an authenticator and nothing else; the sign-in is not complete.
    /// </summary>
    public bool EnrolmentOnly { get; init; }

    public bool Complete => RequiredActions.Count == 0 && !EnrolmentOnly;
}
