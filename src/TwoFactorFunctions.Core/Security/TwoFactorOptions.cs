namespace TwoFactorFunctions.Core.Security;

/// <summary>Platform-wide limits. Tenant settings (code lifetime, device-trust days) live on the tenant.</summary>
public sealed class TwoFactorOptions
{
    /// <summary>Base64 secret (≥ 32 bytes) keying the code hashes. From Key Vault in Azure; never in source.</summary>
    public string CodeHashSecret { get; set; } = "";

    /// <summary>
    /// Base64 key material (≥ 32 bytes) sealing authenticator secrets; from Key Vault in Azure. Optional: without it
    /// authenticator enrolment and sign-in are refused (503 <c>authenticator_unavailable</c>) and codes work as before.
    /// </summary>
    public string TotpEncryptionKey { get; set; } = "";

    /// <summary>Older keys, kept only to open secrets sealed before a rotation (each is re-sealed when next used).</summary>
    public IList<string> TotpPreviousEncryptionKeys { get; set; } = [];

    /// <summary>How long a shown, not yet confirmed authenticator secret can still be confirmed.</summary>
    public TimeSpan TotpEnrolmentLifetime { get; set; } = TimeSpan.FromMinutes(10);

    public bool TotpConfigured => !string.IsNullOrEmpty(TotpEncryptionKey);

    public int MaxFailedAttemptsPerChallenge { get; set; } = 5;

    /// <summary>Failed guesses per account within <see cref="FailureWindow"/> before lockout (NIST allows up to 100).</summary>
    public int MaxFailedAttemptsPerAccount { get; set; } = 10;

    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan ResendCooldown { get; set; } = TimeSpan.FromSeconds(30);

    public int MaxResendsPerChallenge { get; set; } = 3;

    public int MaxChallengesPerWindow { get; set; } = 10;

    public TimeSpan ChallengeWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A challenge can be resent until this age; after it the user starts over.</summary>
    public TimeSpan ChallengeMaxAge { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a verified step-up challenge may authorise a sensitive change.</summary>
    public TimeSpan StepUpValidity { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>SMS/voice sends to one number per 10-minute window (SMS pumping guard).</summary>
    public int MaxSendsPerNumberPer10Minutes { get; set; } = 3;

    public int MaxSendsPerNumberPerDay { get; set; } = 10;

    public IEnumerable<string> Validate()
    {
        byte[]? key = null;
        try
        {
            key = Convert.FromBase64String(CodeHashSecret);
        }
        catch (FormatException)
        {
        }

        if (key is null || key.Length < 32)
        {
            yield return "TwoFactor:CodeHashSecret must be a base64 value of at least 32 bytes.";
        }

        if (TotpConfigured && !IsKey(TotpEncryptionKey))
        {
            yield return "TwoFactor:TotpEncryptionKey must be a base64 value of at least 32 bytes (or absent, which turns authenticators off).";
        }

        if (TotpPreviousEncryptionKeys.Any(k => !IsKey(k)))
        {
            yield return "TwoFactor:TotpPreviousEncryptionKeys must each be a base64 value of at least 32 bytes.";
        }

        if (TotpPreviousEncryptionKeys.Count > 0 && !TotpConfigured)
        {
            yield return "TwoFactor:TotpPreviousEncryptionKeys needs a current TwoFactor:TotpEncryptionKey.";
        }

        if (TotpEnrolmentLifetime < TimeSpan.FromMinutes(1) || TotpEnrolmentLifetime > TimeSpan.FromHours(1))
        {
            yield return "TwoFactor:TotpEnrolmentLifetime must be between 1 minute and 1 hour.";
        }

        if (MaxFailedAttemptsPerChallenge is < 1 or > 10)
        {
            yield return "TwoFactor:MaxFailedAttemptsPerChallenge must be between 1 and 10.";
        }

        if (MaxFailedAttemptsPerAccount is < 1 or > 100)
        {
            yield return "TwoFactor:MaxFailedAttemptsPerAccount must be between 1 and 100 (NIST SP 800-63B).";
        }

        if (MaxResendsPerChallenge is < 0 or > 10 || MaxChallengesPerWindow < 1)
        {
            yield return "TwoFactor: resend and challenge limits must be positive.";
        }

        if (MaxSendsPerNumberPer10Minutes < 1 || MaxSendsPerNumberPerDay < MaxSendsPerNumberPer10Minutes)
        {
            yield return "TwoFactor: per-number send limits must be positive, the daily one at least the 10-minute one.";
        }

        if (FailureWindow <= TimeSpan.Zero || LockoutDuration <= TimeSpan.Zero || ChallengeWindow <= TimeSpan.Zero
            || ResendCooldown < TimeSpan.Zero || StepUpValidity <= TimeSpan.Zero || ChallengeMaxAge <= TimeSpan.Zero)
        {
            yield return "TwoFactor: windows and durations must be positive.";
        }
    }

    public byte[] CodeHashKey() => Convert.FromBase64String(CodeHashSecret);

    private static bool IsKey(string? value)
    {
        try
        {
            return value is not null && Convert.FromBase64String(value).Length >= 32;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
