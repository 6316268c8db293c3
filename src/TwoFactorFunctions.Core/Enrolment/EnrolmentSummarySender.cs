using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Enrolment;

public enum SummaryState
{
    /// <summary>Summary (and alert, if due) sent and the run closed; also the answer for a run already closed.</summary>
    Completed,

    /// <summary>Another sender holds a fresh claim: call again after <see cref="SummaryReport.RetryAfter"/>.</summary>
    RetryLater,

    /// <summary>Given up (<see cref="SummaryWork.GiveUp"/>): the run is closed as failed.</summary>
    Failed,

    /// <summary>No such run.</summary>
    Missing,
}

public sealed record SummaryReport(SummaryState State, DateTimeOffset? SummarySentAt, DateTimeOffset? AlertSentAt, TimeSpan? RetryAfter);

/// <summary>
/// Sends the admin's summary (and, when a user failed, the platform security alert) exactly once per run, then closes
/// the run and frees the tenant for the next change.
/// </summary>
/// <remarks>
/// Each email is claimed on the run row (a conditional write) before it is sent and marked sent after, so repeated or
/// parallel executions of the step send it once. A sender that dies between its send and the mark leaves a claim that
/// runs out after <see cref="EnrolmentOptions.ClaimTimeout"/>; the email is then sent again. For these two messages (one
/// send window per run) a duplicate is the lesser harm: a lost summary would leave the admin with no result at all.
/// </remarks>
public sealed class EnrolmentSummarySender(
    IEnrolmentRunStore runs,
    IUserStore users,
    ITenantStore tenants,
    IEmailSender email,
    EnrolmentEmails emails,
    MessagingOptions messaging,
    IAuditLog audit,
    EnrolmentOptions options,
    TimeProvider time)
{
    public async Task<SummaryReport> SendAsync(SummaryWork work, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(work.TenantId, work.RunId, cancellationToken);
        if (run is null)
        {
            return new SummaryReport(SummaryState.Missing, null, null, null);
        }

        // The counts are final once every batch is done: recorded before the emails, which are composed from the row.
        if (!run.IsTerminal && (run.Counters != work.Counters || run.BatchesPlanned != work.BatchesPlanned || run.PlanError != work.PlanError))
        {
            run = await runs.UpdateAsync(run, r => r.IsTerminal ? null : r with
            {
                Counters = work.Counters,
                BatchesPlanned = work.BatchesPlanned,
                NoticesQueued = work.NoticesQueued,
                PlanError = work.PlanError,
            }, time, cancellationToken) ?? run;
        }

        if (run.IsTerminal)
        {
            await ReleaseTenantAsync(run, cancellationToken);
            return Report(run.Status == RunStatus.Failed && run.SummarySentAt is null ? SummaryState.Failed : SummaryState.Completed, run, null);
        }

        if (work.GiveUp)
        {
            await ScheduleCleanupAsync(run, cancellationToken);
            run = await CloseAsync(run, RunStatus.Failed, "The summary email could not be sent.", cancellationToken);
            return Report(SummaryState.Failed, run, null);
        }

        var (adminEmail, adminName) = await AdminAsync(run, cancellationToken);
        var summary = await SendOnceAsync(run, r => r.SummarySentAt, r => r.SummaryClaimedAt,
            (r, at) => r with { SummaryClaimedAt = at }, (r, at) => r with { SummarySentAt = at },
            adminEmail is null ? null : r => emails.Summary(r, adminEmail, adminName, $"{r.RunId}.summary"), cancellationToken);
        if (summary.Wait is { } wait)
        {
            return Report(SummaryState.RetryLater, summary.Run, wait);
        }

        run = summary.Run;
        if (run.NeedsAlert)
        {
            var to = messaging.SecurityAlertAddress;
            var alert = await SendOnceAsync(run, r => r.AlertSentAt, r => r.AlertClaimedAt,
                (r, at) => r with { AlertClaimedAt = at }, (r, at) => r with { AlertSentAt = at },
                string.IsNullOrWhiteSpace(to) ? null : r => emails.Alert(r, to, $"{r.RunId}.alert"), cancellationToken);
            if (alert.Wait is { } alertWait)
            {
                return Report(SummaryState.RetryLater, alert.Run, alertWait);
            }

            run = alert.Run;
        }

        await ScheduleCleanupAsync(run, cancellationToken);
        run = await CloseAsync(run, run.PlanError is null ? RunStatus.Completed : RunStatus.Failed, run.PlanError, cancellationToken);
        return Report(SummaryState.Completed, run, null);
    }

    /// <summary>
    /// After the notice phase: if any notice finally failed, the admin hears how many (the summary went out before the
    /// notices, so it could not say). Claimed on the run row like the summary, so it is sent once per run.
    /// </summary>
    public async Task<SummaryReport> SendNoticeReportAsync(NoticeReportWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (await runs.GetAsync(work.TenantId, work.RunId, cancellationToken) is not { } run)
        {
            return new SummaryReport(SummaryState.Missing, null, null, null);
        }

        // Called once every notice step is over: anything still pending belongs to a step the orchestration gave up
        // on, and will not be sent either, so it is reported with the failures.
        var notices = await runs.SumNoticesAsync(run.TenantId, run.RunId, cancellationToken);
        if (notices.Failed + notices.Pending == 0)
        {
            return Report(SummaryState.Completed, run, null);
        }

        var (adminEmail, adminName) = await AdminAsync(run, cancellationToken);
        var report = await SendOnceAsync(run, r => r.NoticeReportSentAt, r => r.NoticeReportClaimedAt,
            (r, at) => r with { NoticeReportClaimedAt = at }, (r, at) => r with { NoticeReportSentAt = at },
            adminEmail is null ? null : r => emails.NoticeReport(r, notices, adminEmail, adminName, $"{r.RunId}.notices"), cancellationToken,
            afterClose: true);
        return Report(report.Wait is null ? SummaryState.Completed : SummaryState.RetryLater, report.Run, report.Wait);
    }

    private async Task<(string? Email, string Name)> AdminAsync(EnrolmentRun run, CancellationToken cancellationToken)
    {
        var admin = await users.GetAsync(run.TenantId, run.ActorId, cancellationToken);
        return (admin?.Email ?? run.ActorEmail, string.IsNullOrWhiteSpace(admin?.DisplayName) ? run.ActorName : admin.DisplayName);
    }

    /// <summary>Before the close, so a crash in between repeats it (it is idempotent) rather than skipping it.</summary>
    private Task ScheduleCleanupAsync(EnrolmentRun run, CancellationToken cancellationToken) =>
        runs.ScheduleCleanupAsync(run, time.GetUtcNow() + options.RetainRunDataFor, cancellationToken);

    private static SummaryReport Report(SummaryState state, EnrolmentRun run, TimeSpan? wait) =>
        new(state, run.SummarySentAt, run.AlertSentAt, wait);

    private sealed record Once(EnrolmentRun Run, TimeSpan? Wait);

    /// <summary>Claim, send, mark: the send happens only under this sender's own fresh claim.</summary>
    private async Task<Once> SendOnceAsync(EnrolmentRun run, Func<EnrolmentRun, DateTimeOffset?> sentAt, Func<EnrolmentRun, DateTimeOffset?> claimedAt,
        Func<EnrolmentRun, DateTimeOffset?, EnrolmentRun> withClaim, Func<EnrolmentRun, DateTimeOffset?, EnrolmentRun> withSent,
        Func<EnrolmentRun, EmailMessage>? compose, CancellationToken cancellationToken, bool afterClose = false)
    {
        var lostRace = false;
        var once = await Optimistic.RetryAsync<Once>(async () =>
        {
            if (lostRace)
            {
                run = await runs.GetAsync(run.TenantId, run.RunId, cancellationToken) ?? run;
            }

            // The summary and alert belong to an open run; the notice report comes after the close.
            if (sentAt(run) is not null || (run.IsTerminal && !afterClose))
            {
                return new Once(run, null);
            }

            var now = time.GetUtcNow();
            if (claimedAt(run) is { } claim && claim + options.ClaimTimeout > now)
            {
                return new Once(run, claim + options.ClaimTimeout - now);
            }

            if (compose is null)
            {
                // Nobody to send to (no address): recorded as done so the run can close.
                var marked = await runs.UpdateAsync(run, r => sentAt(r) is null ? withSent(r, now) : null, time, cancellationToken);
                return new Once(marked ?? run, null);
            }

            var claimed = withClaim(run, now) with { UpdatedAt = now };
            if (await runs.TryReplaceAsync(claimed, cancellationToken) is not { } version)
            {
                lostRace = true;
                return Optimistic.LostRace;
            }

            claimed = claimed with { Version = version };
            try
            {
                await email.SendAsync(compose(claimed), CancellationToken.None);
            }
            catch (DeliveryException)
            {
                // Not accepted: release the claim so the retry can send without waiting for it to run out.
                await runs.UpdateAsync(claimed, r => sentAt(r) is null ? withClaim(r, null) : null, time, cancellationToken);
                throw;
            }

            var sent = time.GetUtcNow();
            var done = await runs.UpdateAsync(claimed, r => sentAt(r) is null ? withSent(r, sent) : null, time, cancellationToken);
            return new Once(done ?? claimed, null);
        }, cancellationToken);
        return once.IsSuccess ? once.Value : throw new InvalidOperationException("The run row is too contended to claim the summary.");
    }

    private async Task<EnrolmentRun> CloseAsync(EnrolmentRun run, RunStatus status, string? reason, CancellationToken cancellationToken)
    {
        var closedHere = false;
        var closed = await runs.UpdateAsync(run, r =>
        {
            closedHere = !r.IsTerminal;
            return closedHere ? r with { Status = status, FailureReason = reason ?? r.FailureReason, CompletedAt = time.GetUtcNow() } : null;
        }, time, cancellationToken);

        // Only the sender whose write closed the run records it, so the audit shows one "finished" per run.
        if (closedHere && closed is { CompletedAt: { } at } c)
        {
            var counters = c.Counters;
            await audit.RecordAsync(new AuditEvent(c.TenantId, AuditEventType.EnrolmentRunFinished, at, null, c.ActorId,
                $"Run {c.RunId} ({c.Kind}) {status}: total {counters.Total}, successful {counters.Successful}, unchanged {counters.Unchanged}, " +
                $"no contact {counters.NotExists}, skipped {counters.Skipped}, failed {counters.Failed}." + (reason is null ? "" : $" {reason}")),
                cancellationToken);
        }

        await ReleaseTenantAsync(closed ?? run, cancellationToken);
        return closed ?? run;
    }

    private async Task ReleaseTenantAsync(EnrolmentRun run, CancellationToken cancellationToken)
    {
        // Best effort: a tenant left pointing at a closed run is treated as free (its run is terminal).
        await Optimistic.RetryAsync(async () =>
        {
            var tenant = await tenants.GetAsync(run.TenantId, cancellationToken);
            return tenant is null || tenant.ActiveRunId != run.RunId
                || await tenants.TryReplaceAsync(tenant with { ActiveRunId = null }, cancellationToken);
        }, cancellationToken);
    }
}
