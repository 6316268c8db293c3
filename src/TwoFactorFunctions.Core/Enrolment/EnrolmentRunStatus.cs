using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Core.Enrolment;

/// <summary>
/// A run as its status query shows it, in the shape of Durable Functions' status query (name, instanceId,
/// runtimeStatus, input, customStatus, output, createdTime, lastUpdatedTime), so a portal that polls orchestrations
/// can poll runs with the same code.
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
    public static EnrolmentRunStatus From(EnrolmentRun run, NoticeTotals? notices)
    {
        var c = run.Counters;
        var progress = new EnrolmentRunProgress(c.Total, c.Successful, c.Unchanged, c.NotExists, c.Skipped, c.Failed,
            run.BatchesPlanned, run.BatchesDone, run.PlanningDone, run.NoticesQueued, notices);
        var output = run.IsTerminal
            ? new EnrolmentRunOutput(run.CompletedAt, run.SummarySentAt, run.AlertSentAt, run.PlanError ?? run.FailureReason)
            : null;
        var input = new EnrolmentRunInput(run.Kind, run.Mode, run.Channel, run.WasEnabled, run.PreviousMode, run.PreviousChannel, run.ActorId);
        return new EnrolmentRunStatus("EnrolmentRun", run.RunId, run.Status, input, progress, output, run.CreatedAt, run.UpdatedAt);
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
    NoticeTotals? Notices);

public sealed record EnrolmentRunOutput(DateTimeOffset? CompletedTime, DateTimeOffset? SummarySentAt, DateTimeOffset? AlertSentAt, string? Error);
