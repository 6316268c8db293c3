using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Enrolment;

/// <summary>
/// Processes one batch of a run: decides each user's outcome, writes the user changes and records the batch's notice
/// recipients. Runs at least once (an activity): every step is safe to repeat.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>User changes go out as entity-group transactions (one tenant = one partition), conditional on each user's
/// ETag; a user changed by this run carries its id, so a repeat decides "done by this run" instead of changing again
/// or calling it Unchanged. The repeat therefore reports the same counts.</item>
/// <item>The recipients are inserted once into the batch's notice row; a repeat finds the row and leaves it, so the
/// notices follow the first list however often the batch runs.</item>
/// </list>
/// </remarks>
public sealed class EnrolmentBatchWorker(
    IEnrolmentRunStore runs,
    IEnrolmentDirectory directory,
    IUserStore users,
    TimeProvider time)
{
    private const int MaxTransactionAttempts = 3;
    private const int MaxUserAttempts = 5;
    private const int MaxTransactionSize = 100;

    public async Task<BatchOutcome> ProcessAsync(BatchWork work, CancellationToken cancellationToken)
    {
        var (run, batch) = (work.Run, work.Batch);
        var decisions = await DecideAndWriteAsync(run, batch, cancellationToken);

        var counters = decisions.Aggregate(RunCounters.Zero, (c, d) => c.Count(d.Outcome));
        var notices = decisions.Where(d => d.Notice is not null && d.Outcome is UserOutcome.Successful or UserOutcome.Unchanged)
            .Select(d => new NoticeItem(d.UserId, d.Notice!.Value))
            .ToList();
        if (notices.Count > 0)
        {
            // Null on a repeat: the row of the first run of this batch stands.
            await runs.TrySaveNoticeProgressAsync(
                new NoticeProgress { TenantId = run.TenantId, RunId = run.RunId, Batch = batch.Batch, Items = notices }, cancellationToken);
        }

        return new BatchOutcome(batch.Batch, counters, notices.Count);
    }

    /// <summary>Reads one page of user keys and cuts it into batches of at most <see cref="PageRequest.BatchSize"/>.</summary>
    public async Task<PlannedPage> ListPageAsync(PageRequest request, CancellationToken cancellationToken)
    {
        var page = await directory.ListUserIdsAsync(request.TenantId, request.Continuation, request.PageSize, cancellationToken);
        var batches = new List<PlannedBatch>();
        var after = request.After;
        foreach (var chunk in page.Items.Chunk(request.BatchSize))
        {
            batches.Add(new PlannedBatch(request.FirstBatch + batches.Count, after, chunk[^1], chunk.Length));
            after = chunk[^1];
        }

        return new PlannedPage(batches, page.ContinuationToken, after);
    }

    private async Task<List<UserDecision>> DecideAndWriteAsync(EnrolmentRun run, PlannedBatch batch, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var read = await directory.ReadRangeAsync(run.TenantId, batch.After, batch.Last, cancellationToken);
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

            await Optimistic.BackOffAsync(attempt + 1, cancellationToken);
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

                await Optimistic.BackOffAsync(attempt + 1, cancellationToken);
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
}
