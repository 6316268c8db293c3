using System.Globalization;
using System.Text;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Messaging;

namespace TwoFactorFunctions.Core.Enrolment;

/// <summary>
/// The rules of a settings change as pure functions of the tenant before and after: whether the request is valid, what
/// it changes, whether it weakens 2FA, which run it calls for and what the audit says. No storage, no clock; the
/// services only read rows and write the outcome.
/// </summary>
/// <remarks>
/// Weakening, which needs the acting admin's fresh step-up proof (FactorChangeRule) while the company has 2FA on: switching 2FA
/// off, RequiredForAll → UserOptIn, a longer code lifetime, more device-trust days, turning on skip-first-sign-in, or a
/// factor policy that allows Code or RecoveryCode where it did not, or no longer requires an authenticator of admins.
/// A channel change is not weakening: codes still go only to contacts the users already have on file, and each user
/// must prove the new channel at the next sign-in.
/// </remarks>
public static class SettingsRules
{
    /// <summary>The first thing wrong with a change, or null.</summary>
    /// <param name="smsAvailable">Whether this deployment has an SMS provider.</param>
    /// <param name="voiceAvailable">Whether this deployment has a voice provider.</param>
    public static DomainError? Validate(SettingsChange change, bool smsAvailable, bool voiceAvailable)
    {
        if (change.Mode is { } mode && !Enum.IsDefined(mode))
        {
            return new DomainError(ErrorKind.Invalid, "invalid_mode", "mode must be RequiredForAll or UserOptIn.");
        }

        if (change.Channel is { } channel && !Enum.IsDefined(channel))
        {
            return new DomainError(ErrorKind.Invalid, "invalid_channel", "channel must be Email, Sms or Voice.");
        }

        if (change.CodeLifetimeMinutes is < Tenant.Limits.MinCodeLifetimeMinutes or > Tenant.Limits.MaxCodeLifetimeMinutes)
        {
            return new DomainError(ErrorKind.Invalid, "invalid_code_lifetime",
                $"codeLifetimeMinutes must be between {Tenant.Limits.MinCodeLifetimeMinutes} and {Tenant.Limits.MaxCodeLifetimeMinutes} (NIST SP 800-63B).");
        }

        if (change.DeviceTrustDays is < 0 or > Tenant.Limits.MaxDeviceTrustDays)
        {
            return new DomainError(ErrorKind.Invalid, "invalid_device_trust_days",
                $"deviceTrustDays must be between 0 (never remember) and {Tenant.Limits.MaxDeviceTrustDays}.");
        }

        if (change.Factors is { } factors && factors.Validate() is { } badPolicy)
        {
            return badPolicy;
        }

        // A channel nobody can deliver on would make every sign-in of the company fail.
        if ((change.Channel == Channel.Sms && !smsAvailable) || (change.Channel == Channel.Voice && !voiceAvailable))
        {
            return new DomainError(ErrorKind.Conflict, "channel_unavailable",
                $"This deployment has no {CodeMessages.ChannelName(change.Channel.Value)} provider configured.");
        }

        return null;
    }

    /// <summary>The tenant with the change applied; null fields stay as they are.</summary>
    public static Tenant Apply(Tenant tenant, SettingsChange change) => tenant with
    {
        TwoFactorEnabled = change.Enabled ?? tenant.TwoFactorEnabled,
        Mode = change.Mode ?? tenant.Mode,
        Channel = change.Channel ?? tenant.Channel,
        CodeLifetimeMinutes = change.CodeLifetimeMinutes ?? tenant.CodeLifetimeMinutes,
        DeviceTrustDays = change.DeviceTrustDays ?? tenant.DeviceTrustDays,
        SkipFirstSignIn = change.SkipFirstSignIn ?? tenant.SkipFirstSignIn,
        FactorPolicy = change.Factors?.Normalised() ?? tenant.FactorPolicy,
    };

    public static bool SameSettings(Tenant a, Tenant b) =>
        a.TwoFactorEnabled == b.TwoFactorEnabled && a.Mode == b.Mode && a.Channel == b.Channel
        && a.CodeLifetimeMinutes == b.CodeLifetimeMinutes && a.DeviceTrustDays == b.DeviceTrustDays
        && a.SkipFirstSignIn == b.SkipFirstSignIn && a.FactorPolicy.SameAs(b.FactorPolicy);

    /// <summary>Which run, if any, a change calls for.</summary>
    public static RunKind? RunKindFor(Tenant before, Tenant after)
    {
        if (before.TwoFactorEnabled && !after.TwoFactorEnabled)
        {
            return RunKind.Disable;
        }

        if (!after.TwoFactorEnabled)
        {
            return null;
        }

        if (!before.TwoFactorEnabled || before.Mode != after.Mode)
        {
            return after.Mode == TwoFactorMode.RequiredForAll ? RunKind.Enrol : RunKind.OptInInvite;
        }

        return before.Channel != after.Channel ? RunKind.ChannelChange : null;
    }

    public static readonly DomainError PasskeyFirst = new(ErrorKind.Conflict, "passkey_required_first",
        "Add a passkey to your own account before requiring one of administrators: every later change of the policy will be proven with it.");

    /// <summary>
    /// Turning on the phishing-resistant requirement for admins takes a passkey held by the admin doing it: otherwise
    /// they could prove no later change of the policy, not even turning it off again.
    /// </summary>
    public static bool TurnsOnPasskeyRequirement(Tenant before, Tenant after) =>
        !before.FactorPolicy.PhishingResistantRequiredForAdmins && after.FactorPolicy.PhishingResistantRequiredForAdmins;

    public static bool IsWeakening(Tenant before, Tenant after) =>
        (before.TwoFactorEnabled && !after.TwoFactorEnabled)
        || (before.Mode == TwoFactorMode.RequiredForAll && after.Mode == TwoFactorMode.UserOptIn)
        || after.CodeLifetimeMinutes > before.CodeLifetimeMinutes
        || after.DeviceTrustDays > before.DeviceTrustDays
        || (!before.SkipFirstSignIn && after.SkipFirstSignIn)
        || after.FactorPolicy.IsWeakerThan(before.FactorPolicy);

    /// <summary>
    /// The trust epoch voids every remembered device of the tenant in one write: on switch-off, on a channel change so
    /// that the next sign-in really is a verification on the new channel, and on any change of the factor policy, so
    /// that a device remembered on a factor the policy no longer accepts stops skipping it.
    /// </summary>
    public static bool VoidsRememberedDevices(Tenant before, Tenant after) =>
        (before.TwoFactorEnabled && !after.TwoFactorEnabled) || before.Channel != after.Channel
        || !before.FactorPolicy.SameAs(after.FactorPolicy);

    public static EnrolmentRun NewRun(RunKind kind, Tenant before, Tenant after, DirectoryUser admin, DateTimeOffset now) => new()
    {
        TenantId = before.TenantId,
        RunId = Ids.NewId(),
        Kind = kind,
        Status = RunStatus.Pending,
        Channel = after.Channel,
        PreviousChannel = before.Channel,
        Mode = after.Mode,
        PreviousMode = before.Mode,
        WasEnabled = before.TwoFactorEnabled,
        ActorId = admin.UserId,
        ActorName = string.IsNullOrWhiteSpace(admin.DisplayName) ? admin.UserId : admin.DisplayName,
        ActorEmail = admin.Email,
        CreatedAt = now,
        UpdatedAt = now,
    };

    /// <summary>The audit text of a change: each field that changed, old -> new, and the run it started.</summary>
    public static string Describe(Tenant before, Tenant after)
    {
        var changes = new List<string>();
        void Note<T>(string name, T old, T now)
        {
            if (!EqualityComparer<T>.Default.Equals(old, now))
            {
                changes.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: {old} -> {now}"));
            }
        }

        Note("enabled", before.TwoFactorEnabled, after.TwoFactorEnabled);
        Note("mode", before.Mode, after.Mode);
        Note("channel", before.Channel, after.Channel);
        Note("codeLifetimeMinutes", before.CodeLifetimeMinutes, after.CodeLifetimeMinutes);
        Note("deviceTrustDays", before.DeviceTrustDays, after.DeviceTrustDays);
        Note("skipFirstSignIn", before.SkipFirstSignIn, after.SkipFirstSignIn);
        Note("trustEpoch", before.TrustEpoch, after.TrustEpoch);
        if (!before.FactorPolicy.SameAs(after.FactorPolicy))
        {
            changes.Add($"factors: {before.FactorPolicy} -> {after.FactorPolicy}");
        }

        var text = new StringBuilder(string.Join("; ", changes));
        if (after.LastRunId != before.LastRunId)
        {
            text.Append(CultureInfo.InvariantCulture, $"; run {after.LastRunId}");
        }

        return text.ToString();
    }
}
