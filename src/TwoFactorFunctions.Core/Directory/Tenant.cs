using TwoFactorFunctions.Core.Actions;

namespace TwoFactorFunctions.Core.Directory;

public enum TwoFactorMode
{
    /// <summary>Every user of the company is enrolled by the admin (seed A, "Enhanced Security").</summary>
    RequiredForAll,

    /// <summary>The admin enables a channel and users opt in for themselves (seed B).</summary>
    UserOptIn,
}

public enum Channel
{
    Email,
    Sms,
    Voice,
}

/// <summary>A customer company of the portal, with its two-factor policy.</summary>
public sealed record Tenant
{
    public required string TenantId { get; init; }

    public string DisplayName { get; init; } = "";

    /// <summary>ISO 3166 region used to read national phone numbers and as the default SMS country allow-list.</summary>
    public string DefaultRegion { get; init; } = "US";

    public bool TwoFactorEnabled { get; init; }

    public TwoFactorMode Mode { get; init; } = TwoFactorMode.RequiredForAll;

    public Channel Channel { get; init; } = Channel.Email;

    public int CodeLifetimeMinutes { get; init; } = 5;

    public int DeviceTrustDays { get; init; } = 15;

    public bool SkipFirstSignIn { get; init; }

    /// <summary>
    /// Bumped when the tenant switches 2FA off: every device trust remembers the epoch it was issued under,
    /// so one write voids all of the tenant's trusts without touching them.
    /// </summary>
    public int TrustEpoch { get; init; }

    /// <summary>Country calling codes SMS and voice may go to; empty means only the tenant's own region's code.</summary>
    public IReadOnlyList<int> AllowedCallingCodes { get; init; } = [];

    /// <summary>SMS codes the tenant may send per UTC day (the cost guard against SMS pumping).</summary>
    public int SmsDailyBudget { get; init; } = 1000;

    public int VoiceDailyBudget { get; init; } = 200;

    /// <summary>Calls cost more than texts: when set, a number gets a call only after an SMS to it was tried today.</summary>
    public bool VoiceOnlyAfterSms { get; init; }

    /// <summary>The enrolment run currently working on this tenant, if any.</summary>
    public string? ActiveRunId { get; init; }

    /// <summary>
    /// The most recent run started for this tenant, finished or not. Notices of any older run are stale (the settings
    /// they announce were changed again) and are dropped instead of sent.
    /// </summary>
    public string? LastRunId { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    public PasswordPolicy PasswordPolicy { get; init; } = PasswordPolicy.Default;

    /// <summary>The tenant's own recovery questions; empty means <see cref="RecoveryQuestion.Defaults"/>.</summary>
    public IReadOnlyList<RecoveryQuestion> RecoveryQuestions { get; init; } = [];

    /// <summary>The current terms of use; 0 while none are published. Each publication adds one.</summary>
    public int TermsVersion { get; init; }

    /// <summary>Where the portal shows the text of the current version.</summary>
    public string? TermsUrl { get; init; }

    public DateTimeOffset? TermsPublishedAt { get; init; }

    /// <summary>Which factors count for sign-in, and which is offered first.</summary>
    public Factors.FactorPolicy FactorPolicy { get; init; } = Factors.FactorPolicy.Default;

    public IReadOnlyList<RecoveryQuestion> EffectiveRecoveryQuestions => RecoveryQuestions.Count > 0 ? RecoveryQuestions : RecoveryQuestion.Defaults;

    /// <summary>Opaque concurrency token (the storage ETag).</summary>
    public string? Version { get; init; }

    public static class Limits
    {
        public const int MinCodeLifetimeMinutes = 1;
        public const int MaxCodeLifetimeMinutes = 10;
        public const int MaxDeviceTrustDays = 90;
    }
}
