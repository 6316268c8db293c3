using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Core.Enrolment;

/// <summary>What a settings change asks of every user of the company.</summary>
public enum RunKind
{
    /// <summary>2FA becomes required for everyone (seed A's "Enhanced Security" switch): enrol each active user.</summary>
    Enrol,

    /// <summary>2FA is switched off for the company: clear each user's enrolment and tell those who had it.</summary>
    Disable,

    /// <summary>The company's channel changed: users with 2FA must prove the new channel at their next sign-in (seed B).</summary>
    ChannelChange,

    /// <summary>2FA became available to opt in to (seed B): tell the users who have not opted in.</summary>
    OptInInvite,
}

/// <summary>The runtime status names of Durable Functions' status query, so the portal can reuse its polling code.</summary>
public enum RunStatus
{
    Pending,
    Running,
    Completed,
    Failed,
}

/// <summary>What a run did for one user.</summary>
public enum UserOutcome
{
    /// <summary>Changed by this run (newly enrolled, turned off, told about the new channel, invited).</summary>
    Successful,

    /// <summary>Nothing to do: already in the state the run brings about.</summary>
    Unchanged,

    /// <summary>No contact for the company's channel, so no code could reach the user.</summary>
    NotExists,

    /// <summary>Inactive user: not touched.</summary>
    Skipped,

    Failed,
}

public sealed record RunCounters(long Total, long Successful, long Unchanged, long NotExists, long Skipped, long Failed)
{
    public static readonly RunCounters Zero = new(0, 0, 0, 0, 0, 0);

    public RunCounters Add(RunCounters other) => new(
        Total + other.Total, Successful + other.Successful, Unchanged + other.Unchanged,
        NotExists + other.NotExists, Skipped + other.Skipped, Failed + other.Failed);

    public RunCounters Count(UserOutcome outcome) => outcome switch
    {
        UserOutcome.Successful => this with { Total = Total + 1, Successful = Successful + 1 },
        UserOutcome.Unchanged => this with { Total = Total + 1, Unchanged = Unchanged + 1 },
        UserOutcome.NotExists => this with { Total = Total + 1, NotExists = NotExists + 1 },
        UserOutcome.Skipped => this with { Total = Total + 1, Skipped = Skipped + 1 },
        _ => this with { Total = Total + 1, Failed = Failed + 1 },
    };

    public static RunCounters AllFailed(long count) => new(count, 0, 0, 0, 0, count);
}

/// <summary>A batch as the listing cut it: users with keys in (<see cref="After"/>, <see cref="Last"/>].</summary>
/// <param name="After">Exclusive lower key; null for the first batch.</param>
/// <param name="Count">Users in the range when it was listed (a batch that keeps failing counts this many as failed).</param>
public sealed record PlannedBatch(long Batch, string? After, string Last, int Count);

/// <summary>
/// One enrolment run as its row in the Runs table keeps it: the settings change it carries out (the orchestration's
/// input), the exactly-once claims of the summary and the alert, and, once closed, the final counts.
/// </summary>
/// <remarks>
/// The live progress is the orchestration's custom status, not this row: batches do not write here, so nothing fights
/// over its ETag while a run is busy. The summary step writes it (claims, close), each write conditional on
/// <see cref="Version"/>.
/// </remarks>
public sealed record EnrolmentRun
{
    public required string TenantId { get; init; }

    public required string RunId { get; init; }

    public RunKind Kind { get; init; }

    /// <summary>Pending until the summary step closes the run as Completed or Failed.</summary>
    public RunStatus Status { get; init; }

    /// <summary>The tenant's channel after the change.</summary>
    public Channel Channel { get; init; }

    public Channel PreviousChannel { get; init; }

    public TwoFactorMode Mode { get; init; }

    public TwoFactorMode PreviousMode { get; init; }

    public bool WasEnabled { get; init; }

    public required string ActorId { get; init; }

    public string ActorName { get; init; } = "";

    public string? ActorEmail { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The final counts, written when the run closes (zero before).</summary>
    public RunCounters Counters { get; init; } = RunCounters.Zero;

    /// <summary>Notices the batches handed on for sending (final, like <see cref="Counters"/>).</summary>
    public long NoticesQueued { get; init; }

    /// <summary>How many batches the run cut (final): their notice rows are what the cleanup removes.</summary>
    public long BatchesPlanned { get; init; }

    /// <summary>Set when listing the users gave up: the users listed so far are still processed and summarised.</summary>
    public string? PlanError { get; init; }

    public DateTimeOffset? SummaryClaimedAt { get; init; }

    public DateTimeOffset? SummarySentAt { get; init; }

    public DateTimeOffset? AlertClaimedAt { get; init; }

    public DateTimeOffset? AlertSentAt { get; init; }

    /// <summary>The admin's report of notices that could not be delivered (sent after the notices, only if any failed).</summary>
    public DateTimeOffset? NoticeReportClaimedAt { get; init; }

    public DateTimeOffset? NoticeReportSentAt { get; init; }

    /// <summary>Why a run ended as <see cref="RunStatus.Failed"/>.</summary>
    public string? FailureReason { get; init; }

    public string? Version { get; init; }

    public bool IsTerminal => Status is RunStatus.Completed or RunStatus.Failed;

    public bool NeedsAlert => Counters.Failed > 0 || PlanError is not null;
}

/// <summary>
/// Progress of the notices of one batch, shared by every delivery of its notice messages. Users are taken strictly in
/// order and each position is claimed by a conditional write before the message goes out, so two live senders never
/// send one position; a position whose sender died mid-send is sent again under the same idempotency id.
/// </summary>
public sealed record NoticeProgress
{
    public required string TenantId { get; init; }

    public required string RunId { get; init; }

    public long Batch { get; init; }

    /// <summary>The recipients as first written: later deliveries follow this list, not their own copy.</summary>
    public required IReadOnlyList<NoticeItem> Items { get; init; }

    /// <summary>The next position to claim.</summary>
    public int Position { get; init; }

    /// <summary>The position claimed and being sent right now, until the sender records the result.</summary>
    public int? Pending { get; init; }

    public DateTimeOffset? PendingAt { get; init; }

    /// <summary>
    /// Claims made on position <see cref="AttemptsFor"/>: each one a send that was refused, or whose sender stopped
    /// before recording the result. Reaching <see cref="NoticeOptions.MaxAttempts"/> counts the position failed.
    /// </summary>
    public int Attempts { get; init; }

    /// <summary>The position <see cref="Attempts"/> and <see cref="FirstAttemptAt"/> belong to; -1 before any claim.</summary>
    public int AttemptsFor { get; init; } = -1;

    /// <summary>When position <see cref="AttemptsFor"/> was first claimed: every resend carries it as the message's first-sent time.</summary>
    public DateTimeOffset? FirstAttemptAt { get; init; }

    public int Sent { get; init; }

    public int Skipped { get; init; }

    public int Failed { get; init; }

    /// <summary>
    /// Sends repeated because the claim of an earlier one ran out (its sender stopped): such a notice may reach the
    /// user twice, with the same Message-Id / Operation-Id so the receiver can drop the copy. Not a final state: the
    /// position still ends as sent, skipped or failed.
    /// </summary>
    public int Resent { get; init; }

    public string? Version { get; init; }

    public bool IsDone => Position >= Items.Count && Pending is null;
}

/// <summary>A run's notices: <see cref="Sent"/> + <see cref="Skipped"/> + <see cref="Failed"/> + <see cref="Pending"/> = notices queued.</summary>
/// <param name="Resent">How many sends were repeats after a sender stopped mid-send (already within the other counts).</param>
public sealed record NoticeTotals(long Sent, long Skipped, long Failed, long Resent, long Pending);
