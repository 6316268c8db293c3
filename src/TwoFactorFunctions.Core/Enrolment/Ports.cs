using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Enrolment;

// Queue messages of the enrolment engine. They carry ids and key ranges only: user data is read fresh from the
// directory when the message is handled, so a message never holds stale or personal data.

/// <summary>Start or resume planning (enrol-plan).</summary>
public sealed record PlanWork(string TenantId, string RunId);

/// <summary>Process one planned batch (enrol-batch, and enrol-batch-poison when it keeps failing).</summary>
public sealed record BatchWork(string TenantId, string RunId, long Batch, string? After, string Last, int Count)
{
    public static BatchWork From(string tenantId, string runId, PlannedBatch batch) =>
        new(tenantId, runId, batch.Batch, batch.After, batch.Last, batch.Count);
}

/// <summary>Send the admin's summary and close the run (enrol-summary).</summary>
public sealed record SummaryWork(string TenantId, string RunId);

/// <summary>The notices of one batch (notices); <see cref="After"/>/<see cref="Last"/> is the batch's key range.</summary>
public sealed record NoticeWork(string TenantId, string RunId, long Batch, string? After, string Last, IReadOnlyList<NoticeItem> Items);

public enum NoticeType
{
    Enrolled,
    TurnedOff,
    ChannelChanged,
    OptInInvite,
}

public sealed record NoticeItem(string UserId, NoticeType Type);

/// <summary>A user as read for a batch; <see cref="User"/> is null when the stored row could not be read.</summary>
public sealed record UserRead(string UserId, DirectoryUser? User);

public enum TallyResult
{
    Applied,

    /// <summary>The batch was counted before (a redelivery, or a parallel copy won).</summary>
    AlreadyTallied,

    /// <summary>The shard moved since it was read: re-read and try again.</summary>
    ShardChanged,
}

/// <summary>Runs and their working rows (batch tallies, notice progress).</summary>
public interface IEnrolmentRunStore
{
    /// <summary>The run with its tally sums (and, as last update, the latest of the run's and its shards').</summary>
    Task<EnrolmentRun?> GetAsync(string tenantId, string runId, CancellationToken cancellationToken);

    /// <summary>The run row alone (one point read): its counters are zero. For workers that need the run's settings only.</summary>
    Task<EnrolmentRun?> GetHeaderAsync(string tenantId, string runId, CancellationToken cancellationToken);

    /// <summary>Creates the run row and its empty tally shards in one transaction.</summary>
    /// <returns>The run row's version.</returns>
    Task<string> InsertAsync(EnrolmentRun run, CancellationToken cancellationToken);

    /// <summary>Writes the run row (not the tallies), conditional on <see cref="EnrolmentRun.Version"/>.</summary>
    /// <returns>The new version, or null when another writer got there first (or the run is gone).</returns>
    Task<string?> TryReplaceAsync(EnrolmentRun run, CancellationToken cancellationToken);

    Task<BatchResult?> GetBatchAsync(string tenantId, string runId, long batch, CancellationToken cancellationToken);

    Task<TallyShard?> GetShardAsync(string tenantId, string runId, int shard, CancellationToken cancellationToken);

    /// <summary>Writes the shard (conditional on its version) and inserts the batch's tally row, atomically.</summary>
    /// <returns>The outcome, and the shard's new version when applied.</returns>
    Task<(TallyResult Result, string? Version)> TryTallyAsync(TallyShard updatedShard, BatchResult batch, CancellationToken cancellationToken);

    Task<NoticeProgress?> GetNoticeProgressAsync(string tenantId, string runId, long batch, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts when the version is null (recipients and all); else writes the progress fields only (the recipients never
    /// change), conditional on the version.
    /// </summary>
    /// <returns>The new version, or null on a lost race.</returns>
    Task<string?> TrySaveNoticeProgressAsync(NoticeProgress progress, CancellationToken cancellationToken);

    Task<NoticeTotals> SumNoticesAsync(string tenantId, string runId, CancellationToken cancellationToken);

    /// <summary>Registers the run's working rows with the cleanup; the run row itself stays for status queries.</summary>
    Task ScheduleCleanupAsync(EnrolmentRun run, DateTimeOffset purgeAt, CancellationToken cancellationToken);
}

/// <summary>Bulk access to a tenant's users for the engine: key pages, key ranges, transactional 2FA updates.</summary>
public interface IEnrolmentDirectory
{
    Task<Page<string>> ListUserIdsAsync(string tenantId, string? continuationToken, int pageSize, CancellationToken cancellationToken);

    /// <summary>The users with ids in (<paramref name="after"/>, <paramref name="last"/>], in key order.</summary>
    Task<IReadOnlyList<UserRead>> ReadRangeAsync(string tenantId, string? after, string last, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the 2FA fields (TwoFactorEnabled, EnrolledAt, SecurityStamp, LastRunId) of up to 100 users of one tenant
    /// as one transaction, each conditional on its version: all or nothing, false when any of them changed (or
    /// vanished) since it was read. The portal-owned fields are left as stored.
    /// </summary>
    Task<bool> TryUpdateTwoFactorAsync(IReadOnlyList<DirectoryUser> users, CancellationToken cancellationToken);
}

/// <summary>The engine's queues. Duplicates are harmless: every handler is idempotent.</summary>
public interface IEnrolmentQueues
{
    Task EnqueuePlanAsync(PlanWork work, TimeSpan delay, CancellationToken cancellationToken);

    Task EnqueueBatchesAsync(IReadOnlyList<BatchWork> batches, CancellationToken cancellationToken);

    Task EnqueueSummaryAsync(SummaryWork work, TimeSpan delay, CancellationToken cancellationToken);

    Task EnqueueNoticesAsync(NoticeWork work, TimeSpan delay, CancellationToken cancellationToken);
}
