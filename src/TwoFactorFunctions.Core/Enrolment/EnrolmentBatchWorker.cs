using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Enrolment;

/// <summary>
/// Processes one batch of a run: decides each user's outcome, writes the user changes, queues the notices and counts
/// the batch into the run (fan-in). The worker whose tally completes the run queues the summary.
/// </summary>
/// <remarks>
/// <para>Crash safety comes from the order of the steps, each safe to repeat:</para>
/// <list type="number">
/// <item>User changes go out as entity-group transactions (one tenant = one partition), conditional on each user's
/// ETag; a user changed by this run carries its id, so a repeat decides "done" instead of changing again.</item>
/// <item>The notice message is queued; duplicates are merged by the notice progress row.</item>
/// <item>The batch's tally row is inserted together with its tally shard's new sums in one transaction (same
/// partition of the Runs table), conditional on the shard's ETag: a batch is counted exactly once however often it is
/// delivered.</item>
/// </list>
/// </remarks>
public sealed class EnrolmentBatchWorker(
    IEnrolmentRunStore runs,
    IEnrolmentDirectory directory,
    IUserStore users,
    IEnrolmentQueues queue,
    TimeProvider time)
{
    private const int MaxTransactionAttempts = 3;
    private const int MaxUserAttempts = 5;
    private const int MaxTallyAttempts = 500;
    private const int MaxTransactionSize = 100;
    private const int MaxCachedShards = 4096;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string TenantId, string RunId, int Shard), TallyShard> _shards = new();

    /// <returns>The batch's tally when this delivery counted it; null when there was nothing (left) to do.</returns>
    public async Task<BatchResult?> ProcessAsync(BatchWork work, CancellationToken cancellationToken)
    {
        // No "already counted?" read up front: a repeat is rare, finds its users already changed (no writes), and its
        // tally insert conflicts; that costs less than one extra read on every first delivery.
        var run = await runs.GetHeaderAsync(work.TenantId, work.RunId, cancellationToken);
        if (run is null || run.IsTerminal)
        {
            return null;
        }

        var decisions = await DecideAndWriteAsync(run, work, cancellationToken);

        var counters = decisions.Aggregate(RunCounters.Zero, (c, d) => c.Count(d.Outcome));
        var notices = decisions.Where(d => d.Notice is not null && d.Outcome is UserOutcome.Successful or UserOutcome.Unchanged)
            .Select(d => new NoticeItem(d.UserId, d.Notice!.Value))
            .ToList();
        if (notices.Count > 0)
        {
            await queue.EnqueueNoticesAsync(new NoticeWork(work.TenantId, work.RunId, work.Batch, work.After, work.Last, notices),
                TimeSpan.Zero, cancellationToken);
        }

        var result = new BatchResult(work.TenantId, work.RunId, work.Batch, counters, notices.Count, time.GetUtcNow(), Poisoned: false);
        return await TallyAsync(run, result, cancellationToken) ? result : null;
    }

    /// <summary>
    /// The poison path: the batch failed on every delivery. Its users count as failed (as many as were planned), which
    /// also makes the summary raise the security alert; the run still completes.
    /// </summary>
    public async Task FailAsync(BatchWork work, CancellationToken cancellationToken)
    {
        var run = await runs.GetHeaderAsync(work.TenantId, work.RunId, cancellationToken);
        if (run is null || run.IsTerminal)
        {
            return;
        }

        await TallyAsync(run, new BatchResult(work.TenantId, work.RunId, work.Batch, RunCounters.AllFailed(work.Count), 0, time.GetUtcNow(), Poisoned: true),
            cancellationToken);
    }

    private async Task<List<UserDecision>> DecideAndWriteAsync(EnrolmentRun run, BatchWork work, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var read = await directory.ReadRangeAsync(work.TenantId, work.After, work.Last, cancellationToken);
            var now = time.GetUtcNow();
            var decisions = read.Select(r => r.User is null
                    ? new UserDecision(r.UserId, UserOutcome.Failed, null, null)
                    : WithReachableNotice(EnrolmentRules.Decide(run, r.User, now), r.User))
                .ToList();

            var writes = decisions.Where(d => d.Write is not null).Select(d => d.Write!).ToList();
            var conflicted = false;
            foreach (var chunk in writes.Chunk(MaxTransactionSize))
            {
                // A chunk that lost a race is retried by re-reading: chunks already written are recognised as done then.
                conflicted |= !await directory.TryUpdateTwoFactorAsync(chunk, cancellationToken);
            }

            if (!conflicted)
            {
                return decisions;
            }

            if (attempt + 1 >= MaxTransactionAttempts)
            {
                return await WriteOneByOneAsync(run, decisions, cancellationToken);
            }

            await RunStoreExtensions.BackOffAsync(attempt + 1, cancellationToken);
        }
    }

    /// <summary>Users who keep changing under the batch are settled one at a time, so one busy user cannot fail the rest.</summary>
    private async Task<List<UserDecision>> WriteOneByOneAsync(EnrolmentRun run, List<UserDecision> decisions, CancellationToken cancellationToken)
    {
        var settled = new List<UserDecision>(decisions.Count);
        foreach (var decision in decisions)
        {
            if (decision.Write is null)
            {
                settled.Add(decision);
                continue;
            }

            UserDecision? outcome = decision with { Outcome = UserOutcome.Failed, Write = null, Notice = null };
            for (var attempt = 0; attempt < MaxUserAttempts; attempt++)
            {
                var user = await users.GetAsync(run.TenantId, decision.UserId, cancellationToken);
                if (user is null)
                {
                    outcome = null;
                    break;
                }

                var fresh = WithReachableNotice(EnrolmentRules.Decide(run, user, time.GetUtcNow()), user);
                if (fresh.Write is null || await directory.TryUpdateTwoFactorAsync([fresh.Write], cancellationToken))
                {
                    outcome = fresh;
                    break;
                }

                await RunStoreExtensions.BackOffAsync(attempt + 1, cancellationToken);
            }

            if (outcome is not null)
            {
                settled.Add(outcome);
            }
        }

        return settled;
    }

    // Notices go by email whatever the code channel (that is where the company's messages reach users).
    private static UserDecision WithReachableNotice(UserDecision decision, DirectoryUser user) =>
        decision.Notice is not null && string.IsNullOrEmpty(user.Email) ? decision with { Notice = null } : decision;

    /// <returns>True when this call counted the batch; false when it had been counted already.</returns>
    private async Task<bool> TallyAsync(EnrolmentRun run, BatchResult batch, CancellationToken cancellationToken)
    {
        var shardNumber = TallyShard.Of(batch.Batch);
        var key = (run.TenantId, run.RunId, shardNumber);
        for (var attempt = 0; attempt < MaxTallyAttempts; attempt++)
        {
            // The shard as this process last wrote it is usually still current (batch b and b + 16 tend to land on the
            // same worker); when it is not, the conditional write says so and the shard is read.
            var shard = attempt == 0 && _shards.TryGetValue(key, out var cached)
                ? cached
                : await runs.GetShardAsync(run.TenantId, run.RunId, shardNumber, cancellationToken)
                  ?? throw new InvalidOperationException($"Run {run.RunId} has no tally shard {shardNumber}.");
            var counted = shard.Add(batch, time.GetUtcNow());
            var (result, version) = await runs.TryTallyAsync(counted, batch, cancellationToken);
            switch (result)
            {
                case TallyResult.Applied:
                    if (version is not null)
                    {
                        Remember(key, counted with { Version = version });
                    }

                    await SummariseIfLastAsync(run, counted, cancellationToken);
                    return true;
                case TallyResult.AlreadyTallied:
                    _shards.TryRemove(key, out _);
                    await EnsureSummaryAsync(await runs.GetAsync(run.TenantId, run.RunId, cancellationToken), cancellationToken);
                    return false;
            }

            _shards.TryRemove(key, out _);
            await RunStoreExtensions.BackOffAsync(attempt, cancellationToken);
        }

        throw new InvalidOperationException("The tally shard is too contended to count the batch; the message will be retried.");
    }

    /// <summary>
    /// Only a worker that completed its own shard can have completed the run, so only then are all shards summed.
    /// The run is re-read after the tally: a planner that finished meanwhile either saw this tally, or is seen here.
    /// </summary>
    private async Task SummariseIfLastAsync(EnrolmentRun run, TallyShard counted, CancellationToken cancellationToken)
    {
        // Read before this batch started, a finished plan is final: a shard still short of its batches is not last.
        if (run.PlanningDone && counted.Batches < TallyShard.Expected(run.BatchesPlanned, counted.Shard))
        {
            return;
        }

        var header = await runs.GetHeaderAsync(run.TenantId, run.RunId, cancellationToken);
        if (header is { PlanningDone: true, IsTerminal: false } && counted.Batches >= TallyShard.Expected(header.BatchesPlanned, counted.Shard))
        {
            await EnsureSummaryAsync(await runs.GetAsync(run.TenantId, run.RunId, cancellationToken), cancellationToken);
        }
    }

    private void Remember((string, string, int) key, TallyShard shard)
    {
        // Bounded: a long-lived process sees many runs; losing the cache only costs a read.
        if (_shards.Count > MaxCachedShards)
        {
            _shards.Clear();
        }

        _shards[key] = shard;
    }

    /// <summary>
    /// Queues the summary when the run is complete. Repeated by every redelivery, so a crash right after the tally
    /// cannot lose it; the summary handler sends once however many messages arrive.
    /// </summary>
    private Task EnsureSummaryAsync(EnrolmentRun? run, CancellationToken cancellationToken) =>
        run is { AllBatchesDone: true, IsTerminal: false, SummarySentAt: null }
            ? queue.EnqueueSummaryAsync(new SummaryWork(run.TenantId, run.RunId), TimeSpan.Zero, cancellationToken)
            : Task.CompletedTask;
}
