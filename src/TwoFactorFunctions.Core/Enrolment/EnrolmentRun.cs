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

/// <summary>A batch as the planner cut it: users with keys in (<see cref="After"/>, <see cref="Last"/>].</summary>
/// <param name="After">Exclusive lower key; null for the first batch.</param>
/// <param name="Count">Users in the range when it was planned (the poison path counts this many as failed).</param>
public sealed record PlannedBatch(long Batch, string? After, string Last, int Count);

/// <summary>
/// One enrolment run: the settings it carries out, the planner's checkpoint, the fan-in tally and the summary state.
/// </summary>
/// <remarks>
/// The run row is written by the planner (checkpoints) and the summary sender (claims, close), each write conditional
/// on <see cref="Version"/>. The counters are not on that row: batch workers count into <see cref="TallyShards"/>
/// tally rows (batch b into shard b mod 16), so a hundred workers finishing at once do not all fight over one ETag.
/// A run as read carries the sums of its shards in <see cref="Counters"/>, <see cref="BatchesDone"/> and
/// <see cref="NoticesQueued"/>.
/// </remarks>
public sealed record EnrolmentRun
{
    public const int TallyShards = 16;

    public required string TenantId { get; init; }

    public required string RunId { get; init; }

    public RunKind Kind { get; init; }

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

    public RunCounters Counters { get; init; } = RunCounters.Zero;

    /// <summary>Notices handed to the notice queue (sent later at the provider's rate).</summary>
    public long NoticesQueued { get; init; }

    public long BatchesPlanned { get; init; }

    public long BatchesDone { get; init; }

    public bool PlanningDone { get; init; }

    /// <summary>Where the planner's next page starts (the storage continuation token).</summary>
    public string? PlanContinuation { get; init; }

    /// <summary>The last key planned so far: the next batch starts after it.</summary>
    public string? PlanLastKey { get; init; }

    /// <summary>The batches of the last checkpoint, re-enqueued on resume in case the crash came before they were.</summary>
    public IReadOnlyList<PlannedBatch> PendingBatches { get; init; } = [];

    /// <summary>Set when planning gave up: the users planned so far are still processed and summarised.</summary>
    public string? PlanError { get; init; }

    public DateTimeOffset? SummaryClaimedAt { get; init; }

    public DateTimeOffset? SummarySentAt { get; init; }

    public DateTimeOffset? AlertClaimedAt { get; init; }

    public DateTimeOffset? AlertSentAt { get; init; }

    public bool CleanupScheduled { get; init; }

    /// <summary>Why a run ended as <see cref="RunStatus.Failed"/>.</summary>
    public string? FailureReason { get; init; }

    public string? Version { get; init; }

    public bool IsTerminal => Status is RunStatus.Completed or RunStatus.Failed;

    /// <summary>Planning is over and every planned batch is tallied: time for the summary.</summary>
    public bool AllBatchesDone => PlanningDone && BatchesDone >= BatchesPlanned;

    public bool NeedsAlert => Counters.Failed > 0 || PlanError is not null;
}

/// <summary>One of a run's tally rows: the sums of the batches counted into it. Updated conditionally on its version.</summary>
public sealed record TallyShard(string TenantId, string RunId, int Shard, RunCounters Counters, long Batches, long NoticesQueued,
    DateTimeOffset UpdatedAt, string? Version)
{
    public static int Of(long batch) => (int)(batch % EnrolmentRun.TallyShards);

    /// <summary>How many of <paramref name="batchesPlanned"/> batches (numbered from 0) fall into shard <paramref name="shard"/>.</summary>
    public static long Expected(long batchesPlanned, int shard) =>
        batchesPlanned > shard ? ((batchesPlanned - 1 - shard) / EnrolmentRun.TallyShards) + 1 : 0;

    public TallyShard Add(BatchResult batch, DateTimeOffset now) =>
        this with { Counters = Counters.Add(batch.Counters), Batches = Batches + 1, NoticesQueued = NoticesQueued + batch.Notices, UpdatedAt = now };
}

/// <summary>The tally of one batch. Inserted together with its shard's update, so a batch is counted once.</summary>
public sealed record BatchResult(string TenantId, string RunId, long Batch, RunCounters Counters, int Notices, DateTimeOffset At, bool Poisoned);

/// <summary>
/// Progress of the notices of one batch, shared by every delivery of its notice messages. Users are taken strictly in
/// order and each position is claimed by a conditional write before the message goes out, so no position is sent twice.
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

    /// <summary>Failed delivery attempts of the user at <see cref="Position"/>.</summary>
    public int Attempts { get; init; }

    public int Sent { get; init; }

    public int Skipped { get; init; }

    public int Failed { get; init; }

    /// <summary>Claimed by a sender that stopped (crash) before recording the result: maybe sent, never resent.</summary>
    public int Uncertain { get; init; }

    public string? Version { get; init; }

    public bool IsDone => Position >= Items.Count && Pending is null;
}

public sealed record NoticeTotals(long Sent, long Skipped, long Failed, long Uncertain, long Pending);
