using System.ComponentModel.DataAnnotations;
using TwoFactorFunctions.Core.Common;

namespace TwoFactorFunctions.Core.Security;

/// <summary>
/// Platform-wide limits (section <c>TwoFactor</c>). Tenant settings (code lifetime, device-trust days) live on the
/// tenant. The attributes are checked when the host starts; the rules across settings are the API's
/// <c>TwoFactorOptionsRules</c>.
/// </summary>
public sealed class TwoFactorOptions
{
    public const string Section = "TwoFactor";

    /// <summary>Base64 secret (≥ 32 bytes) keying the code hashes. From Key Vault in Azure; never in source.</summary>
    [Required(ErrorMessage = Section + ":CodeHashSecret is required.")]
    [Base64Key(32, ErrorMessage = Section + ":CodeHashSecret must be a base64 value of at least 32 bytes.")]
    public string CodeHashSecret { get; set; } = "";

    /// <summary>
    /// Base64 key material (≥ 32 bytes) sealing authenticator secrets; from Key Vault in Azure. Optional: without it
    /// authenticator enrolment and sign-in are refused (503 <c>authenticator_unavailable</c>) and codes work as before.
    /// </summary>
    [Base64Key(32, ErrorMessage = Section + ":TotpEncryptionKey must be a base64 value of at least 32 bytes (or absent, which turns authenticators off).")]
    public string TotpEncryptionKey { get; set; } = "";

    /// <summary>Older keys, kept only to open secrets sealed before a rotation (each is re-sealed when next used).</summary>
    [Base64Key(32, ErrorMessage = Section + ":TotpPreviousEncryptionKeys must each be a base64 value of at least 32 bytes.")]
    public IList<string> TotpPreviousEncryptionKeys { get; set; } = [];

    /// <summary>How long a shown, not yet confirmed authenticator secret can still be confirmed.</summary>
    [SettingRange(typeof(TimeSpan), "00:01:00", "01:00:00", ErrorMessage = Section + ":TotpEnrolmentLifetime must be between 1 minute and 1 hour.")]
    public TimeSpan TotpEnrolmentLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a passkey registration ceremony may take, from its options to the browser's answer.</summary>
    [SettingRange(typeof(TimeSpan), "00:01:00", "00:30:00", ErrorMessage = Section + ":PasskeyRegistrationLifetime must be between 1 and 30 minutes.")]
    public TimeSpan PasskeyRegistrationLifetime { get; set; } = TimeSpan.FromMinutes(5);

    public bool TotpConfigured => !string.IsNullOrEmpty(TotpEncryptionKey);

    [SettingRange(1, 10, ErrorMessage = Section + ":MaxFailedAttemptsPerChallenge must be between {1} and {2}.")]
    public int MaxFailedAttemptsPerChallenge { get; set; } = 5;

    /// <summary>Failed guesses per account within <see cref="FailureWindow"/> before lockout (NIST allows up to 100).</summary>
    [SettingRange(1, 100, ErrorMessage = Section + ":MaxFailedAttemptsPerAccount must be between {1} and {2} (NIST SP 800-63B).")]
    public int MaxFailedAttemptsPerAccount { get; set; } = 10;

    [SettingRange(typeof(TimeSpan), SettingRules.Positive, SettingRules.Unbounded, ErrorMessage = Section + ":FailureWindow must be positive.")]
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    [SettingRange(typeof(TimeSpan), SettingRules.Positive, SettingRules.Unbounded, ErrorMessage = Section + ":LockoutDuration must be positive.")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    [SettingRange(typeof(TimeSpan), SettingRules.Zero, SettingRules.Unbounded, ErrorMessage = Section + ":ResendCooldown must not be negative.")]
    public TimeSpan ResendCooldown { get; set; } = TimeSpan.FromSeconds(30);

    [SettingRange(0, 10, ErrorMessage = Section + ":MaxResendsPerChallenge must be between {1} and {2}.")]
    public int MaxResendsPerChallenge { get; set; } = 3;

    [SettingRange(1, int.MaxValue, ErrorMessage = Section + ":MaxChallengesPerWindow must be at least {1}.")]
    public int MaxChallengesPerWindow { get; set; } = 10;

    [SettingRange(typeof(TimeSpan), SettingRules.Positive, SettingRules.Unbounded, ErrorMessage = Section + ":ChallengeWindow must be positive.")]
    public TimeSpan ChallengeWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A challenge can be resent until this age; after it the user starts over.</summary>
    [SettingRange(typeof(TimeSpan), SettingRules.Positive, SettingRules.Unbounded, ErrorMessage = Section + ":ChallengeMaxAge must be positive.")]
    public TimeSpan ChallengeMaxAge { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a verified step-up challenge may authorise a sensitive change.</summary>
    /// <summary>
    /// How old a tenant row this instance read may be when it is used to issue a sign-in challenge (see
    /// <see cref="Storage.CachingTenantStore"/>): the bound on how long another instance's settings change takes to be seen
    /// there. Zero reads the tenant on every sign-in.
    /// </summary>
    [SettingRange(typeof(TimeSpan), SettingRules.Zero, "00:01:00", ErrorMessage = Section + ":TenantCacheLifetime must be between 0 and 1 minute.")]
    public TimeSpan TenantCacheLifetime { get; set; } = TimeSpan.FromSeconds(5);

    [SettingRange(typeof(TimeSpan), SettingRules.Positive, SettingRules.Unbounded, ErrorMessage = Section + ":StepUpValidity must be positive.")]
    public TimeSpan StepUpValidity { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>SMS/voice sends to one number per 10-minute window (SMS pumping guard).</summary>
    [SettingRange(1, int.MaxValue, ErrorMessage = Section + ":MaxSendsPerNumberPer10Minutes must be at least {1}.")]
    public int MaxSendsPerNumberPer10Minutes { get; set; } = 3;

    public int MaxSendsPerNumberPerDay { get; set; } = 10;

    public byte[] CodeHashKey() => Convert.FromBase64String(CodeHashSecret);
}
