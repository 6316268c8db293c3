using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Core.Enrolment;

/// <summary>A tenant's 2FA settings as an admin sees them.</summary>
public sealed record TwoFactorSettings(
    string TenantId,
    bool Enabled,
    TwoFactorMode Mode,
    Channel Channel,
    int CodeLifetimeMinutes,
    int DeviceTrustDays,
    bool SkipFirstSignIn,
    string? ActiveRunId,
    string? LastRunId,
    DateTimeOffset? UpdatedAt)
{
    /// <summary>Which factors count for sign-in, which is offered first, and whether admins must use an authenticator.</summary>
    public Factors.FactorPolicy Factors { get; init; } = Core.Factors.FactorPolicy.Default;

    public static TwoFactorSettings From(Tenant t) => new(t.TenantId, t.TwoFactorEnabled, t.Mode, t.Channel,
        t.CodeLifetimeMinutes, t.DeviceTrustDays, t.SkipFirstSignIn, t.ActiveRunId, t.LastRunId, t.UpdatedAt) { Factors = t.FactorPolicy };
}

/// <summary>A change of settings; null fields stay as they are.</summary>
/// <param name="VerifiedChallengeId">A verified AdminStepUp challenge, needed when the change weakens 2FA for an admin who has it.</param>
public sealed record SettingsChange(
    bool? Enabled,
    TwoFactorMode? Mode,
    Channel? Channel,
    int? CodeLifetimeMinutes,
    int? DeviceTrustDays,
    bool? SkipFirstSignIn,
    string? VerifiedChallengeId)
{
    /// <summary>The whole factor policy, replacing the current one; null leaves it as it is.</summary>
    public Factors.FactorPolicy? Factors { get; init; }
}

public sealed record SettingsUpdate(TwoFactorSettings Settings, EnrolmentRun? Run);
