using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Enrolment;

// Inputs and results of the enrolment steps (the orchestration's activities). They carry ids, key ranges and counts
// only: user data is read fresh from the directory by each step, so no step input holds stale or personal data.

/// <summary>Read one page of the tenant's user keys and cut it into batches numbered from <see cref="FirstBatch"/>.</summary>
/// <param name="After">The last key of the previous page: the page's first batch starts after it.</param>
public sealed record PageRequest(string TenantId, string? Continuation, string? After, long FirstBatch, int PageSize, int BatchSize);

/// <param name="Continuation">Where the next page starts; null when this was the last page.</param>
public sealed record PlannedPage(IReadOnlyList<PlannedBatch> Batches, string? Continuation, string? LastKey);

/// <summary>Enrol (or disable, invite, move) the users of one batch of a run.</summary>
public sealed record BatchWork(EnrolmentRun Run, PlannedBatch Batch);

/// <summary>What one batch did: its users by outcome, and how many notices it left to send.</summary>
public sealed record BatchOutcome(long Batch, RunCounters Counters, int Notices);

/// <summary>Send the notices one batch recorded (its recipients are in the batch's notice row).</summary>
public sealed record NoticeWork(string TenantId, string RunId, long Batch, string? After, string Last);

/// <summary>Send the admin's summary (and the alert when a user failed) once, then close the run.</summary>
/// <param name="GiveUp">The summary could not be sent after every retry: close the run as Failed without it.</param>
/// <summary>After the notices: tell the admin how many could not be delivered, if any (once per run, claimed like the summary).</summary>
public sealed record NoticeReportWork(string TenantId, string RunId);

public sealed record SummaryWork(string TenantId, string RunId, RunCounters Counters, long BatchesPlanned, long NoticesQueued,
    string? PlanError, bool GiveUp = false);

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

/// <summary>Runs and their working rows (the notice progress of each batch).</summary>
public interface IEnrolmentRunStore
{
    Task<EnrolmentRun?> GetAsync(string tenantId, string runId, CancellationToken cancellationToken);

    /// <returns>The run row's version.</returns>
    Task<string> InsertAsync(EnrolmentRun run, CancellationToken cancellationToken);

    /// <summary>Writes the run row, conditional on <see cref="EnrolmentRun.Version"/>.</summary>
    /// <returns>The new version, or null when another writer got there first (or the run is gone).</returns>
    Task<string?> TryReplaceAsync(EnrolmentRun run, CancellationToken cancellationToken);

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

/// <summary>
/// The durable engine that carries a run out (a Durable Functions orchestration under the Functions host, the Durable
/// Task Framework standalone). One orchestration instance per run, under an id derived from the tenant and the run.
/// </summary>
public interface IEnrolmentEngine
{
    /// <summary>Starts the run's orchestration. Idempotent: starting a run that already started changes nothing.</summary>
    Task StartAsync(EnrolmentRun run, CancellationToken cancellationToken);

    /// <summary>The orchestration's state, or null when it has not been created (yet, or any more).</summary>
    Task<EnrolmentRunState?> GetStateAsync(string tenantId, string runId, CancellationToken cancellationToken);
}

/// <summary>An orchestration as the engine reports it, mapped onto the run's vocabulary.</summary>
/// <param name="Progress">The orchestration's custom status; null before its first step.</param>
public sealed record EnrolmentRunState(RunStatus Status, DateTimeOffset CreatedAt, DateTimeOffset LastUpdatedAt, EnrolmentProgress? Progress, string? Error)
{
    /// <summary>
    /// The state as either engine reports it. A failure gets a fixed message: the engine's own one stays in the host's
    /// logs, because it can name internals a tenant admin should not see.
    /// </summary>
    public static EnrolmentRunState Of(RunStatus status, DateTimeOffset createdAt, DateTimeOffset lastUpdatedAt, EnrolmentProgress? progress) =>
        new(status, createdAt, lastUpdatedAt, progress, status == RunStatus.Failed ? "The enrolment orchestration failed." : null);
}
