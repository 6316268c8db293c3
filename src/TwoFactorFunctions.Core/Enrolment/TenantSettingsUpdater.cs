using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Enrolment;

/// <summary>
/// Changes a tenant's 2FA settings (admins only) and starts the run a change calls for. What a change means is decided
/// by <see cref="SettingsRules"/>; this class reads, proves, writes and starts.
/// </summary>
/// <remarks>
/// <para>One run per tenant at a time: the tenant row names its active run (written with its ETag, so two changes cannot
/// both start one), and a change that needs a run while that run's orchestration is still enrolling is refused with 409
/// <c>enrolment_run_active</c> (naming the run). An orchestration that ended without closing its run (it failed) does
/// not block: its run is marked failed and superseded. Changes that need no run (code lifetime, device-trust days,
/// skip-first-sign-in) are allowed during a run.</para>
/// <para>The engine is passed per call: under the Functions host it is the invocation's Durable client binding.</para>
/// </remarks>
public sealed class TenantSettingsUpdater(
    ITenantStore tenants,
    IEnrolmentRunStore runs,
    EnrolmentRunSupervisor supervisor,
    ActorRules actors,
    FactorChangeProofs proofs,
    IAuditLog audit,
    TimeProvider time,
    ISmsSender? sms = null,
    IVoiceCaller? voice = null)
{
    public async Task<Result<SettingsUpdate>> UpdateAsync(string tenantId, string? actorId, SettingsChange change, IEnrolmentEngine engine,
        CancellationToken cancellationToken)
    {
        var adminResult = await actors.RequireAdminAsync(tenantId, actorId, cancellationToken);
        if (!adminResult.IsSuccess)
        {
            return adminResult.Error;
        }

        if (SettingsRules.Validate(change, smsAvailable: sms is not null, voiceAvailable: voice is not null) is { } invalid)
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

            var next = SettingsRules.Apply(tenant, change);
            if (SettingsRules.SameSettings(tenant, next))
            {
                return new SettingsUpdate(TwoFactorSettings.From(tenant), null);
            }

            var kind = SettingsRules.RunKindFor(tenant, next);
            EnrolmentRun? superseded = null;
            if (kind is not null && tenant.ActiveRunId is { } activeId
                && await runs.GetAsync(tenantId, activeId, cancellationToken) is { IsTerminal: false } active)
            {
                var state = await engine.GetStateAsync(tenantId, active.RunId, cancellationToken);
                if (state is null or { Status: RunStatus.Pending or RunStatus.Running })
                {
                    await supervisor.KickIfStalledAsync(active, state, engine, cancellationToken);
                    return new DomainError(ErrorKind.Conflict, "enrolment_run_active",
                            "An enrolment run is still working on this tenant; wait for it to finish (see runId), then try again.")
                        .With("runId", active.RunId);
                }

                superseded = active;
            }

            if (SettingsRules.TurnsOnPasskeyRequirement(tenant, next) && !(await proofs.HeldAsync(admin, cancellationToken)).HasPasskey)
            {
                return SettingsRules.PasskeyFirst;
            }

            // While the company has 2FA on, a weakening is proven by the admin whether or not that admin opted in: a
            // session alone must not switch off what protects every other user.
            if (!proven && SettingsRules.IsWeakening(tenant, next) && tenant.TwoFactorEnabled)
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
            var run = kind is { } k ? SettingsRules.NewRun(k, tenant, next, admin, now) : null;
            if (run is not null)
            {
                run = run with { Version = await runs.InsertAsync(run, cancellationToken) };
            }

            var updated = next with
            {
                UpdatedAt = now,
                TrustEpoch = SettingsRules.VoidsRememberedDevices(tenant, next) ? tenant.TrustEpoch + 1 : tenant.TrustEpoch,
                ActiveRunId = run?.RunId ?? (superseded is null ? tenant.ActiveRunId : null),
                LastRunId = run?.RunId ?? tenant.LastRunId,
            };

            if (!await tenants.TryReplaceAsync(updated, cancellationToken))
            {
                if (run is not null)
                {
                    await supervisor.FailRunAsync(run, "The settings change it was created for lost a race with another change and was retried.", cancellationToken);
                }

                return Optimistic.LostRace;
            }

            if (superseded is not null)
            {
                await supervisor.FailRunAsync(superseded, $"Superseded by run {run!.RunId}: its orchestration ended without closing it.", cancellationToken);
            }

            if (run is not null)
            {
                // After the tenant write: a crash in between leaves a run that KickIfStalledAsync starts later.
                await engine.StartAsync(run, cancellationToken);
            }

            await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.SettingsChanged, now, null, admin.UserId,
                SettingsRules.Describe(tenant, updated) + (proven ? " (step-up verified)" : "")), cancellationToken);
            if (run is not null)
            {
                await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.EnrolmentRunStarted, now, null, admin.UserId,
                    $"Run {run.RunId} ({run.Kind}) started."), cancellationToken);
            }

            var stored = await tenants.GetAsync(tenantId, cancellationToken) ?? updated;
            return new SettingsUpdate(TwoFactorSettings.From(stored), run);
        }, cancellationToken);
    }
}
