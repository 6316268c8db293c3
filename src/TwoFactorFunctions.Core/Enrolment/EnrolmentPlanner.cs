using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Enrolment;

/// <summary>
/// Pages through a tenant's user keys and cuts them into batch messages, checkpointing on the run row as it goes.
/// </summary>
/// <remarks>
/// Per page: (1) the checkpoint (next continuation token, the page's batches, counts) is written conditionally on the
/// run's version, then (2) the page's batches are enqueued. A crash between the two is repaired on resume, which
/// first re-enqueues the batches of the last checkpoint; a crash before (1) re-reads the same page. Batches are
/// numbered by the checkpoint, so a re-enqueued batch is the same batch, and batch workers count each number once.
/// Two planners on one run (a duplicate message) cannot both win a checkpoint: the loser adopts the winner's.
/// </remarks>
public sealed class EnrolmentPlanner(
    IEnrolmentRunStore runs,
    IEnrolmentDirectory directory,
    ITenantStore tenants,
    IEnrolmentQueues queue,
    EnrolmentOptions options,
    TimeProvider time)
{
    private const int MaxConcurrencyRetries = 200;

    public async Task PlanAsync(PlanWork work, long dequeueCount, CancellationToken cancellationToken)
    {
        try
        {
            await PlanCoreAsync(work, cancellationToken);
        }
        catch (Exception ex) when (dequeueCount >= options.MaxDequeueCount && !cancellationToken.IsCancellationRequested)
        {
            // enrol-plan has no poison handler: on the last delivery, close planning with what has been planned, so the
            // run still finishes, its summary goes out, and the alert names the problem.
            await GiveUpAsync(work, $"Planning failed after {dequeueCount} attempts ({ex.GetType().Name}).", cancellationToken);
        }
    }

    private async Task PlanCoreAsync(PlanWork work, CancellationToken cancellationToken)
    {
        var run = await runs.GetHeaderAsync(work.TenantId, work.RunId, cancellationToken);
        if (run is null || run.IsTerminal)
        {
            return;
        }

        var tenant = await tenants.GetAsync(work.TenantId, cancellationToken);
        if (tenant?.LastRunId != run.RunId)
        {
            // The settings change that created this run never landed, or a newer change replaced it.
            await runs.UpdateAsync(run, r => r.IsTerminal ? null : r with
            {
                Status = RunStatus.Failed,
                FailureReason = "Superseded before planning started.",
                CompletedAt = time.GetUtcNow(),
            }, time, cancellationToken);
            return;
        }

        if (run.Status == RunStatus.Pending)
        {
            run = await runs.UpdateAsync(run, r => r.Status == RunStatus.Pending ? r with { Status = RunStatus.Running } : null, time, cancellationToken);
            if (run is null || run.IsTerminal)
            {
                return;
            }
        }

        await EnqueueAsync(run, run.PendingBatches, cancellationToken);

        while (!run.PlanningDone)
        {
            var page = await directory.ListUserIdsAsync(run.TenantId, run.PlanContinuation, options.PlannerPageSize, cancellationToken);
            var batches = Cut(page.Items, run.PlanLastKey, run.BatchesPlanned);
            var checkpointed = await CheckpointAsync(run, page, batches, cancellationToken);
            if (checkpointed is null)
            {
                return;
            }

            run = checkpointed;
            await EnqueueAsync(run, run.PendingBatches, cancellationToken);
        }

        await SummariseIfDoneAsync(run, cancellationToken);
    }

    /// <summary>
    /// Batches may all have been counted before planning was marked done (the last page can be empty); then no worker
    /// saw the run complete, and the planner queues the summary. Sums are read after the final checkpoint was written.
    /// </summary>
    private async Task SummariseIfDoneAsync(EnrolmentRun run, CancellationToken cancellationToken)
    {
        if (await runs.GetAsync(run.TenantId, run.RunId, cancellationToken) is { AllBatchesDone: true, IsTerminal: false })
        {
            await queue.EnqueueSummaryAsync(new SummaryWork(run.TenantId, run.RunId), TimeSpan.Zero, cancellationToken);
        }
    }

    /// <summary>Writes the checkpoint for one page; returns the run as stored, or null when the run is over.</summary>
    private async Task<EnrolmentRun?> CheckpointAsync(EnrolmentRun run, Page<string> page, List<PlannedBatch> batches, CancellationToken cancellationToken)
    {
        var basedOn = (run.BatchesPlanned, run.PlanContinuation);
        for (var attempt = 0; attempt < MaxConcurrencyRetries; attempt++)
        {
            var next = run with
            {
                BatchesPlanned = run.BatchesPlanned + batches.Count,
                PendingBatches = batches,
                PlanLastKey = batches.Count > 0 ? batches[^1].Last : run.PlanLastKey,
                PlanContinuation = page.ContinuationToken,
                PlanningDone = page.ContinuationToken is null,
                UpdatedAt = time.GetUtcNow(),
            };
            if (await runs.TryReplaceAsync(next, cancellationToken) is { } version)
            {
                return next with { Version = version };
            }

            // Only a planner moves the checkpoint; anything else (a status change) leaves it to be re-applied.
            var fresh = await runs.GetHeaderAsync(run.TenantId, run.RunId, cancellationToken);
            if (fresh is null || fresh.IsTerminal)
            {
                return null;
            }

            if ((fresh.BatchesPlanned, fresh.PlanContinuation) != basedOn || fresh.PlanningDone)
            {
                // Another planner checkpointed this page first; carry on from its checkpoint (and re-send its batches,
                // harmlessly, in case it died before it could).
                return fresh;
            }

            run = fresh;
            await RunStoreExtensions.BackOffAsync(attempt + 1, cancellationToken);
        }

        throw new InvalidOperationException("The run row is too contended to checkpoint the plan.");
    }

    private List<PlannedBatch> Cut(IReadOnlyList<string> keys, string? after, long firstNumber)
    {
        var batches = new List<PlannedBatch>((keys.Count / options.BatchSize) + 1);
        for (var start = 0; start < keys.Count; start += options.BatchSize)
        {
            var count = Math.Min(options.BatchSize, keys.Count - start);
            var last = keys[start + count - 1];
            batches.Add(new PlannedBatch(firstNumber + batches.Count, after, last, count));
            after = last;
        }

        return batches;
    }

    private Task EnqueueAsync(EnrolmentRun run, IReadOnlyList<PlannedBatch> batches, CancellationToken cancellationToken) =>
        batches.Count == 0
            ? Task.CompletedTask
            : queue.EnqueueBatchesAsync(batches.Select(b => BatchWork.From(run.TenantId, run.RunId, b)).ToList(), cancellationToken);

    private async Task GiveUpAsync(PlanWork work, string reason, CancellationToken cancellationToken)
    {
        var run = await runs.GetHeaderAsync(work.TenantId, work.RunId, cancellationToken);
        if (run is null || run.IsTerminal || run.PlanningDone)
        {
            return;
        }

        run = await runs.UpdateAsync(run, r => r.PlanningDone || r.IsTerminal ? null : r with
        {
            PlanningDone = true,
            PlanError = reason,
            Status = RunStatus.Running,
        }, time, cancellationToken);
        if (run is not null)
        {
            await SummariseIfDoneAsync(run, cancellationToken);
        }
    }
}
