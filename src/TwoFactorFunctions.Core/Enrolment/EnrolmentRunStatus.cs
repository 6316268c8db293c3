using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Core.Enrolment;

/// <summary>Where a run's orchestration is: enrolling batches, then summarising, then sending the users' notices.</summary>
public enum EnrolmentPhase
{
    Enrolling,
    Notifying,
    Done,
}

/// <summary>The orchestration's custom status: its live counters, replaced after every step it awaits.</summary>
public sealed record EnrolmentProgress(
    EnrolmentPhase Phase,
    RunCounters Counters,
    long BatchesPlanned,
    long BatchesCompleted,
    bool PlanningComplete,
    long NoticesQueued,
    long NoticeBatchesDone,
    DateTimeOffset? SummarySentAt,
    DateTimeOffset? AlertSentAt);

/// <summary>
/// A run as its status query shows it, in the shape of Durable Functions' status query (name, instanceId,
/// runtimeStatus, input, customStatus, output, createdTime, lastUpdatedTime), so a portal that polls orchestrations
/// can poll runs with the same code. Built from the orchestration's state and the run's row; the Durable management
/// URLs themselves are never handed out (they carry the extension's system key).
/// </summary>
public sealed record EnrolmentRunStatus(
    string Name,
    string InstanceId,
    RunStatus RuntimeStatus,
    EnrolmentRunInput Input,
    EnrolmentRunProgress CustomStatus,
    EnrolmentRunOutput? Output,
    DateTimeOffset CreatedTime,
    DateTimeOffset LastUpdatedTime)
{
    /// <param name="state">The orchestration; null before it starts, or after its history was purged.</param>
    public static EnrolmentRunStatus From(EnrolmentRun run, EnrolmentRunState? state, NoticeTotals? notices)
    {
        // Without an orchestration the row is all there is: a closed run keeps its final counts there.
        var status = state?.Status ?? (run.IsTerminal ? run.Status : RunStatus.Pending);
        var live = state?.Progress;
        var c = live?.Counters ?? run.Counters;
        var progress = new EnrolmentRunProgress(c.Total, c.Successful, c.Unchanged, c.NotExists, c.Skipped, c.Failed,
            live?.BatchesPlanned ?? run.BatchesPlanned, live?.BatchesCompleted ?? run.BatchesPlanned,
            live?.PlanningComplete ?? run.IsTerminal, live?.NoticesQueued ?? run.NoticesQueued, live?.Phase, notices);
        // Over when the orchestration is (its notices sent too); the row's time is the summary's, for purged histories.
        var output = status is RunStatus.Completed or RunStatus.Failed
            ? new EnrolmentRunOutput(state?.LastUpdatedAt ?? run.CompletedAt, run.SummarySentAt, run.AlertSentAt,
                run.PlanError ?? run.FailureReason ?? state?.Error, run.NoticeReportSentAt)
            : null;
        var input = new EnrolmentRunInput(run.Kind, run.Mode, run.Channel, run.WasEnabled, run.PreviousMode, run.PreviousChannel, run.ActorId);

        // Created when the run was: each continue-as-new gives the orchestration a fresh creation time of its own.
        return new EnrolmentRunStatus("EnrolmentRun", run.RunId, status, input, progress, output,
            run.CreatedAt, state?.LastUpdatedAt ?? run.UpdatedAt);
    }
}

public sealed record EnrolmentRunInput(RunKind Kind, TwoFactorMode Mode, Channel Channel, bool WasEnabled,
    TwoFactorMode PreviousMode, Channel PreviousChannel, string ActorId);

/// <summary>The live counters: users by outcome, batches planned and counted, notices queued and (if asked) sent.</summary>
public sealed record EnrolmentRunProgress(
    long TotalUsers,
    long Successful,
    long Unchanged,
    long NotExists,
    long Skipped,
    long Failed,
    long BatchesPlanned,
    long BatchesCompleted,
    bool PlanningComplete,
    long NoticesQueued,
    EnrolmentPhase? Phase,
    NoticeTotals? Notices);

/// <param name="NoticeReportSentAt">When the admin was told that some notices could not be delivered; null when none failed.</param>
public sealed record EnrolmentRunOutput(DateTimeOffset? CompletedTime, DateTimeOffset? SummarySentAt, DateTimeOffset? AlertSentAt, string? Error,
    DateTimeOffset? NoticeReportSentAt = null);
