using System.Globalization;
using System.Text;
using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

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

/// <summary>
/// Reads and changes a tenant's 2FA settings (admins only) and starts the run a change calls for.
/// </summary>
/// <remarks>
/// <para>Weakening, which needs the acting admin's fresh step-up proof (FactorChangeRule) while the company has 2FA on: switching 2FA
/// off, RequiredForAll → UserOptIn, a longer code lifetime, more device-trust days, turning on skip-first-sign-in, or a
/// factor policy that allows Code or RecoveryCode where it did not, or no longer requires an authenticator of admins.
/// A channel change is not weakening: codes still go only to contacts the users already have on file, and each user
/// must prove the new channel at the next sign-in.</para>
/// <para>One run per tenant at a time: the tenant row names its active run (written with its ETag, so two changes cannot
/// both start one), and a change that needs a run while that run's orchestration is still enrolling is refused with 409
/// <c>enrolment_run_active</c> (naming the run). An orchestration that ended without closing its run (it failed) does
/// not block: its run is marked failed and superseded. Changes that need no run (code lifetime, device-trust days,
/// skip-first-sign-in) are allowed during a run.</para>
/// <para>The engine is passed per call: under the Functions host it is the invocation's Durable client binding.</para>
/// </remarks>
public sealed class TenantSettingsService(
    ITenantStore tenants,
    IEnrolmentRunStore runs,
    ActorRules actors,
    FactorChangeProofs proofs,
    IAuditLog audit,
    EnrolmentOptions options,
    TimeProvider time,
    ISmsSender? sms = null,
    IVoiceCaller? voice = null)
{
    public async Task<Result<TwoFactorSettings>> GetAsync(string tenantId, string? actorId, IEnrolmentEngine engine, CancellationToken cancellationToken)
    {
        var ctx = await LoadAsync(tenantId, actorId, cancellationToken);
        if (!ctx.IsSuccess)
        {
            return ctx.Error;
        }

        var tenant = ctx.Value.Tenant;
        if (tenant.ActiveRunId is { } active && await runs.GetAsync(tenantId, active, cancellationToken) is { IsTerminal: false } run)
        {
            await KickIfStalledAsync(run, await engine.GetStateAsync(tenantId, run.RunId, cancellationToken), engine, cancellationToken);
        }

        return TwoFactorSettings.From(tenant);
    }

    public async Task<Result<(EnrolmentRun Run, EnrolmentRunState? State)>> GetRunAsync(string tenantId, string runId, string? actorId,
        IEnrolmentEngine engine, CancellationToken cancellationToken)
    {
        if (Ids.Validate(runId, "runId") is { } invalid)
        {
            return invalid;
        }

        var admin = await actors.RequireAdminAsync(tenantId, actorId, cancellationToken);
        if (!admin.IsSuccess)
        {
            return admin.Error;
        }

        var run = await runs.GetAsync(tenantId, runId, cancellationToken);
        if (run is null)
        {
            return RunNotFound;
        }

        var state = await engine.GetStateAsync(tenantId, runId, cancellationToken);
        if (!run.IsTerminal)
        {
            await KickIfStalledAsync(run, state, engine, cancellationToken);
        }

        return (run, state);
    }

    /// <summary>
    /// Issues an AdminStepUp challenge to the acting admin (seed B's admin pop-up): a code over the tenant's channel, or
    /// the admin's authenticator where the factor policy allows or requires it.
    /// </summary>
    public async Task<Result<ChallengeView>> CreateStepUpAsync(string tenantId, string? actorId, CancellationToken cancellationToken)
    {
        var ctx = await LoadAsync(tenantId, actorId, cancellationToken);
        if (!ctx.IsSuccess)
        {
            return ctx.Error;
        }

        var (admin, tenant) = ctx.Value;
        return await proofs.IssueAsync(tenant, admin, FactorChangeRule.AdminOperations, ChallengePurpose.AdminStepUp, cancellationToken);
    }

    public async Task<Result<SettingsUpdate>> UpdateAsync(string tenantId, string? actorId, SettingsChange change, IEnrolmentEngine engine,
        CancellationToken cancellationToken)
    {
        var adminResult = await actors.RequireAdminAsync(tenantId, actorId, cancellationToken);
        if (!adminResult.IsSuccess)
        {
            return adminResult.Error;
        }

        if (Validate(change) is { } invalid)
        {
            return invalid;
        }

        var admin = adminResult.Value;
        var proven = false;
        return await Optimistic.RetryAsync<SettingsUpdate>(async () =>
        {
            var tenant = await tenants.GetAsync(tenantId, cancellationToken);
            if (tenant is null)
            {
                return Errors.TenantNotFound;
            }

            var next = Apply(tenant, change);
            if (SameSettings(tenant, next))
            {
                return new SettingsUpdate(TwoFactorSettings.From(tenant), null);
            }

            var kind = RunKindFor(tenant, next);
            EnrolmentRun? superseded = null;
            if (kind is not null && tenant.ActiveRunId is { } activeId
                && await runs.GetAsync(tenantId, activeId, cancellationToken) is { IsTerminal: false } active)
            {
                var state = await engine.GetStateAsync(tenantId, active.RunId, cancellationToken);
                if (state is null or { Status: RunStatus.Pending or RunStatus.Running })
                {
                    await KickIfStalledAsync(active, state, engine, cancellationToken);
                    return new DomainError(ErrorKind.Conflict, "enrolment_run_active",
                            "An enrolment run is still working on this tenant; wait for it to finish (see runId), then try again.")
                        .With("runId", active.RunId);
                }

                superseded = active;
            }

            // While the company has 2FA on, a weakening is proven by the admin whether or not that admin opted in: a
            // session alone must not switch off what protects every other user.
            if (!proven && IsWeakening(tenant, next) && tenant.TwoFactorEnabled)
            {
                // Proven under the settings as they are now (the rule reads the current policy, not the requested one).
                var proof = await proofs.SpendAsync(SensitiveOperation.WeakenPolicy, tenant, admin, await proofs.HeldAsync(admin, cancellationToken),
                    change.VerifiedChallengeId, cancellationToken);
                if (!proof.IsSuccess)
                {
                    return proof.Error;
                }

                proven = true;
            }

            var now = time.GetUtcNow();
            var run = kind is { } k ? NewRun(k, tenant, next, admin, now) : null;
            if (run is not null)
            {
                run = run with { Version = await runs.InsertAsync(run, cancellationToken) };
            }

            // The trust epoch voids every remembered device of the tenant in one write: on switch-off, on a channel
            // change so that the next sign-in really is a verification on the new channel, and on any change of the
            // factor policy, so that a device remembered on a factor the policy no longer accepts stops skipping it.
            var bumpEpoch = (tenant.TwoFactorEnabled && !next.TwoFactorEnabled) || tenant.Channel != next.Channel
                            || !tenant.FactorPolicy.SameAs(next.FactorPolicy);
            var updated = next with
            {
                UpdatedAt = now,
                TrustEpoch = bumpEpoch ? tenant.TrustEpoch + 1 : tenant.TrustEpoch,
                ActiveRunId = run?.RunId ?? (superseded is null ? tenant.ActiveRunId : null),
                LastRunId = run?.RunId ?? tenant.LastRunId,
            };

            if (!await tenants.TryReplaceAsync(updated, cancellationToken))
            {
                if (run is not null)
                {
                    await FailRunAsync(run, "The settings change it was created for lost a race with another change and was retried.", cancellationToken);
                }

                return Optimistic.LostRace;
            }

            if (superseded is not null)
            {
                await FailRunAsync(superseded, $"Superseded by run {run!.RunId}: its orchestration ended without closing it.", cancellationToken);
            }

            if (run is not null)
            {
                // After the tenant write: a crash in between leaves a run that KickIfStalledAsync starts later.
                await engine.StartAsync(run, cancellationToken);
            }

            await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.SettingsChanged, now, null, admin.UserId,
                Describe(tenant, updated) + (proven ? " (step-up verified)" : "")), cancellationToken);
            if (run is not null)
            {
                await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.EnrolmentRunStarted, now, null, admin.UserId,
                    $"Run {run.RunId} ({run.Kind}) started."), cancellationToken);
            }

            var stored = await tenants.GetAsync(tenantId, cancellationToken) ?? updated;
            return new SettingsUpdate(TwoFactorSettings.From(stored), run);
        }, cancellationToken);
    }

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

    public static bool IsWeakening(Tenant before, Tenant after) =>
        (before.TwoFactorEnabled && !after.TwoFactorEnabled)
        || (before.Mode == TwoFactorMode.RequiredForAll && after.Mode == TwoFactorMode.UserOptIn)
        || after.CodeLifetimeMinutes > before.CodeLifetimeMinutes
        || after.DeviceTrustDays > before.DeviceTrustDays
        || (!before.SkipFirstSignIn && after.SkipFirstSignIn)
        || after.FactorPolicy.IsWeakerThan(before.FactorPolicy);

    /// <summary>
    /// The acting admin, then the tenant: in that order, a caller who is not the tenant's admin gets the same answer whether
    /// or not the tenant exists.
    /// </summary>
    private async Task<Result<(DirectoryUser Admin, Tenant Tenant)>> LoadAsync(string tenantId, string? actorId, CancellationToken cancellationToken)
    {
        var admin = await actors.RequireAdminAsync(tenantId, actorId, cancellationToken);
        if (!admin.IsSuccess)
        {
            return admin.Error;
        }

        var tenant = await tenants.GetAsync(tenantId, cancellationToken);
        return tenant is null ? Errors.TenantNotFound : (admin.Value, tenant);
    }

    private DomainError? Validate(SettingsChange change)
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
        if ((change.Channel == Channel.Sms && sms is null) || (change.Channel == Channel.Voice && voice is null))
        {
            return new DomainError(ErrorKind.Conflict, "channel_unavailable",
                $"This deployment has no {CodeMessages.ChannelName(change.Channel.Value)} provider configured.");
        }

        return null;
    }

    private static Tenant Apply(Tenant tenant, SettingsChange change) => tenant with
    {
        TwoFactorEnabled = change.Enabled ?? tenant.TwoFactorEnabled,
        Mode = change.Mode ?? tenant.Mode,
        Channel = change.Channel ?? tenant.Channel,
        CodeLifetimeMinutes = change.CodeLifetimeMinutes ?? tenant.CodeLifetimeMinutes,
        DeviceTrustDays = change.DeviceTrustDays ?? tenant.DeviceTrustDays,
        SkipFirstSignIn = change.SkipFirstSignIn ?? tenant.SkipFirstSignIn,
        FactorPolicy = change.Factors?.Normalised() ?? tenant.FactorPolicy,
    };

    private static bool SameSettings(Tenant a, Tenant b) =>
        a.TwoFactorEnabled == b.TwoFactorEnabled && a.Mode == b.Mode && a.Channel == b.Channel
        && a.CodeLifetimeMinutes == b.CodeLifetimeMinutes && a.DeviceTrustDays == b.DeviceTrustDays
        && a.SkipFirstSignIn == b.SkipFirstSignIn && a.FactorPolicy.SameAs(b.FactorPolicy);

    private static EnrolmentRun NewRun(RunKind kind, Tenant before, Tenant after, DirectoryUser admin, DateTimeOffset now) => new()
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

    private Task<EnrolmentRun?> FailRunAsync(EnrolmentRun run, string reason, CancellationToken cancellationToken) =>
        runs.UpdateAsync(run, r => r.IsTerminal ? null : r with
        {
            Status = RunStatus.Failed,
            FailureReason = reason,
            CompletedAt = time.GetUtcNow(),
        }, time, cancellationToken);

    /// <summary>
    /// The orchestration is started after the tenant write; a crash in between leaves a run with no orchestration.
    /// Whoever looks at such a run starts it again (a start is idempotent), so a run cannot stay unstarted.
    /// </summary>
    private async Task KickIfStalledAsync(EnrolmentRun run, EnrolmentRunState? state, IEnrolmentEngine engine, CancellationToken cancellationToken)
    {
        if (state is null && time.GetUtcNow() - run.UpdatedAt > options.RunStartGrace)
        {
            await engine.StartAsync(run, cancellationToken);
        }
    }

    private static string Describe(Tenant before, Tenant after)
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

    public static readonly DomainError RunNotFound = new(ErrorKind.NotFound, "run_not_found", "No such enrolment run in this tenant.");
}
