using TwoFactorFunctions.Core.Actions;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Security;

namespace TwoFactorFunctions.Core.Challenges;

public enum ChallengeStatus
{
    /// <summary>Waiting for the user's code (or, in manual send mode, for the first send).</summary>
    Pending,

    Verified,

    /// <summary>Too many wrong codes: the challenge is over and a new one is needed.</summary>
    Failed,
}

/// <summary>What a verified challenge authorises; a challenge proves one thing only.</summary>
public enum ChallengePurpose
{
    SignIn,

    /// <summary>An admin proving presence before weakening the tenant's 2FA (seed B's admin pop-up).</summary>
    AdminStepUp,

    /// <summary>A user proving the channel while opting in, or before opting out.</summary>
    SelfService,

    /// <summary>A user proving a new email or phone before it replaces the old one.</summary>
    ContactChange,
}

/// <summary>One sign-in (or step-up) challenge. Holds only a keyed hash of the current code, never the code.</summary>
public sealed record Challenge
{
    public required string TenantId { get; init; }

    public required string ChallengeId { get; init; }

    public required string UserId { get; init; }

    public ChallengePurpose Purpose { get; init; }

    public Channel Channel { get; init; }

    /// <summary>Where codes for this challenge go: stored because a contact-change challenge targets a contact not yet on the user.</summary>
    public required string Destination { get; init; }

    public ChallengeStatus Status { get; init; }

    /// <summary>HMAC of the current code bound to tenant, challenge and <see cref="CodeVersion"/>; null until the first send.</summary>
    public byte[]? CodeHash { get; init; }

    /// <summary>Incremented by every send, so a resent code never matches the hash of an earlier one.</summary>
    public int CodeVersion { get; init; }

    public int Sends { get; init; }

    public int FailedAttempts { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the current code stops working (or, before the first send, when the challenge lapses).</summary>
    public DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? LastSentAt { get; init; }

    public DateTimeOffset? VerifiedAt { get; init; }

    /// <summary>The factor that answered the challenge: a proof is spent only on a change that factor may prove.</summary>
    public Factors.Factor? VerifiedFactor { get; init; }

    /// <summary>Set when a verified step-up challenge has been spent on the action it authorised.</summary>
    public DateTimeOffset? ConsumedAt { get; init; }

    /// <summary>
    /// A sign-in challenge's required actions as pending when the sign-in was decided: the verify answers them without
    /// reading the user again, and the portal runs them after the code.
    /// </summary>
    public IReadOnlyList<RequiredAction> RequiredActions { get; init; } = [];

    /// <summary>
    /// SHA-256 of the sign-in challenge's browser token: the one credential that lets a browser, before it has a session,
    /// resend and verify this challenge and nothing else. Null for other purposes.
    /// </summary>
    public byte[]? BrowserTokenHash { get; init; }

    /// <summary>The factors this challenge can be answered with, decided from the tenant's policy and the user's factors at issue.</summary>
    public IReadOnlyList<Factors.Factor> Factors { get; init; } = [TwoFactorFunctions.Core.Factors.Factor.Code];

    public Factors.Factor PreferredFactor { get; init; } = TwoFactorFunctions.Core.Factors.Factor.Code;

    /// <summary>
    /// The passkey ceremony in progress: the request options last sent to the browser (their random challenge is what the
    /// assertion must sign), kept server-side and cleared when the challenge is verified, so an assertion counts once.
    /// </summary>
    public string? PasskeyOptions { get; init; }

    public string? Version { get; init; }

    /// <summary>
    /// When the row may be deleted: after the last moment it can be answered (resends keep it answerable up to
    /// <see cref="TwoFactorOptions.ChallengeMaxAge"/>, each code living up to the longest lifetime a tenant may set), plus
    /// the time a verified challenge can still be spent as a proof (<see cref="TwoFactorOptions.StepUpValidity"/>).
    /// </summary>
    public DateTimeOffset PurgeAt(TwoFactorOptions options) =>
        CreatedAt + options.ChallengeMaxAge + TimeSpan.FromMinutes(Tenant.Limits.MaxCodeLifetimeMinutes) + options.StepUpValidity;
}
