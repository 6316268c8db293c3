using Microsoft.DurableTask;
using TwoFactorFunctions.Core.Enrolment;

namespace TwoFactorFunctions.Workflows.Enrolment;

/// <summary>
/// The orchestration's state, carried from one generation to the next by ContinueAsNew. Everything the orchestrator
/// decides on is in here or in an awaited step's result, never read from configuration or a clock.
/// </summary>
public sealed record EnrolmentState
{
    public required EnrolmentRun Run { get; init; }

    public required EnrolmentPlan Plan { get; init; }

    public EnrolmentPhase Phase { get; init; }

    /// <summary>The batches this generation processes (read ahead by the previous one); null before the first page.</summary>
    public IReadOnlyList<PlannedBatch>? Page { get; init; }

    /// <summary>Where the page after <see cref="Page"/> starts; null when <see cref="Page"/> is the last.</summary>
    public string? NextContinuation { get; init; }

    /// <summary>The last key listed so far: the next page's first batch starts after it.</summary>
    public string? LastKey { get; init; }

    public long BatchesPlanned { get; init; }

    public long BatchesDone { get; init; }

    public RunCounters Counters { get; init; } = RunCounters.Zero;

    public long NoticesQueued { get; init; }

    /// <summary>The batches that recorded notices, in order; the notice phase works through them.</summary>
    public IReadOnlyList<PlannedBatch> NoticeBatches { get; init; } = [];

    public int NoticeBatchesDone { get; init; }

    public string? PlanError { get; init; }

    public DateTimeOffset? SummarySentAt { get; init; }

    public DateTimeOffset? AlertSentAt { get; init; }

    public EnrolmentProgress Progress() => new(Phase, Counters, BatchesPlanned, BatchesDone,
        Phase != EnrolmentPhase.Enrolling, NoticesQueued, NoticeBatchesDone, SummarySentAt, AlertSentAt);
}

/// <summary>
/// Carries out one enrolment run: pages through the tenant's users, fans out batch steps (a bounded number in
/// flight), fans their counts in, sends the admin's summary (and the security alert on any failure), then works
/// through the users' notices at the provider's pace.
/// </summary>
/// <remarks>
/// <para>One generation handles a few pages (five batches each by default) and continues as new with the counts so far, so
/// the history a replay reads stays small however large the company: a 100,000-user run is some twenty-five short
/// generations, not one history of thousands of events. The next page is read while the current one is processed.</para>
/// <para>A batch that still fails after its retry policy counts its users as Failed, which makes the summary raise the
/// alert; the run still completes. A summary that cannot be sent closes the run as Failed.</para>
/// <para>Deterministic by construction: no I/O, clock or randomness here; waits are durable timers.</para>
/// </remarks>
public sealed class EnrolmentOrchestrator : TaskOrchestrator<EnrolmentState, EnrolmentProgress>
{
    /// <summary>
    /// Pages one generation enrols before continuing as new: enough to keep the batch window full across page
    /// boundaries, few enough that the history each replay reads stays around a hundred events.
    /// </summary>
    private const int PagesPerGeneration = 4;

    /// <summary>Notice batches one generation works through before continuing as new.</summary>
    private const int NoticeBatchesPerGeneration = 20;

    /// <summary>A notice or summary step asked to come back this many times in a row: stop asking, count what is left.</summary>
    private const int MaxRetryLaterRounds = 200;

    public override async Task<EnrolmentProgress> RunAsync(TaskOrchestrationContext context, EnrolmentState input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        context.SetCustomStatus(input.Progress());

        var next = input.Phase switch
        {
            EnrolmentPhase.Enrolling => await EnrolPagesAsync(context, input),
            EnrolmentPhase.Notifying => await NotifyAsync(context, input),
            _ => input,
        };

        var progress = next.Progress();
        context.SetCustomStatus(progress);
        if (next.Phase != EnrolmentPhase.Done)
        {
            context.ContinueAsNew(next, preserveUnprocessedEvents: false);
        }

        return progress;
    }

    private static async Task<EnrolmentState> EnrolPagesAsync(TaskOrchestrationContext context, EnrolmentState state)
    {
        var retry = RetryOptions(state.Plan);
        if (state.Page is null)
        {
            var first = await ListAsync(context, state, continuation: null, retry);
            state = first is null
                ? state with { Page = [], PlanError = "The tenant's users could not be listed." }
                : Planned(state, first);
        }

        // The fan-out runs across page boundaries: the next page is listed while this one's batches run, and its
        // batches join the same bounded window, so the window only drains at the end of a generation.
        var scheduled = new List<(PlannedBatch Batch, Task<BatchOutcome> Outcome)>();
        var inFlight = new List<Task<BatchOutcome>>();
        var live = state;
        for (var pages = 0; pages < PagesPerGeneration && HasMore(state); pages++)
        {
            var readAhead = state.NextContinuation is { } token ? ListAsync(context, state, token, retry) : null;
            foreach (var batch in state.Page!)
            {
                if (inFlight.Count >= state.Plan.MaxParallelBatches)
                {
                    // Each batch the window waits for shows in the status at once, so the counts climb during a
                    // generation; the generation's own totals are summed from every outcome below.
                    var finished = await Task.WhenAny(inFlight);
                    inFlight.Remove(finished);
                    live = live with { BatchesPlanned = state.BatchesPlanned, BatchesDone = live.BatchesDone + 1, Counters = live.Counters.Add(finished.Result.Counters) };
                    context.SetCustomStatus(live.Progress());
                }

                var outcome = ProcessAsync(context, state.Run, batch, retry);
                scheduled.Add((batch, outcome));
                inFlight.Add(outcome);
            }

            var next = readAhead is null ? null : await readAhead;
            state = readAhead is null ? state with { Page = [] }
                : next is null ? state with { Page = [], NextContinuation = null, PlanError = "Listing the tenant's users failed part way; the users after the last listed batch were not visited." }
                : Planned(state, next);
        }

        var outcomes = await Task.WhenAll(scheduled.Select(s => s.Outcome));
        state = state with
        {
            BatchesDone = state.BatchesDone + outcomes.Length,
            Counters = outcomes.Aggregate(state.Counters, (c, o) => c.Add(o.Counters)),
            NoticesQueued = state.NoticesQueued + outcomes.Sum(o => (long)o.Notices),
            NoticeBatches = [.. state.NoticeBatches, .. scheduled.Zip(outcomes).Where(p => p.Second.Notices > 0).Select(p => p.First.Batch)],
        };

        return HasMore(state) ? state : await SummariseAsync(context, state);
    }

    /// <summary>A page is waiting, or another one can be listed (a page may come back empty with a continuation).</summary>
    private static bool HasMore(EnrolmentState state) => state.Page is { Count: > 0 } || state.NextContinuation is not null;

    private static EnrolmentState Planned(EnrolmentState state, PlannedPage page) => state with
    {
        Page = page.Batches,
        NextContinuation = page.Continuation,
        LastKey = page.LastKey ?? state.LastKey,
        BatchesPlanned = state.BatchesPlanned + page.Batches.Count,
    };

    private static async Task<PlannedPage?> ListAsync(TaskOrchestrationContext context, EnrolmentState state, string? continuation, TaskOptions retry)
    {
        var request = new PageRequest(state.Run.TenantId, continuation, state.LastKey, state.BatchesPlanned, state.Plan.PageSize, state.Plan.BatchSize);
        try
        {
            return await context.CallActivityAsync<PlannedPage>(nameof(ListEnrolmentPage), request, retry);
        }
        catch (TaskFailedException)
        {
            return null;
        }
    }

    private static async Task<BatchOutcome> ProcessAsync(TaskOrchestrationContext context, EnrolmentRun run, PlannedBatch batch, TaskOptions retry)
    {
        try
        {
            return await context.CallActivityAsync<BatchOutcome>(nameof(ProcessEnrolmentBatch), new BatchWork(run, batch), retry);
        }
        catch (TaskFailedException)
        {
            // Its retries are spent: the users cannot be vouched for, so they count as failed and the alert goes out.
            return new BatchOutcome(batch.Batch, RunCounters.AllFailed(batch.Count), 0);
        }
    }

    private static async Task<EnrolmentState> SummariseAsync(TaskOrchestrationContext context, EnrolmentState state)
    {
        var retry = RetryOptions(state.Plan);
        var work = new SummaryWork(state.Run.TenantId, state.Run.RunId, state.Counters, state.BatchesPlanned, state.NoticesQueued, state.PlanError);
        SummaryReport report;
        try
        {
            report = await UntilDoneAsync(context, () => context.CallActivityAsync<SummaryReport>(nameof(SendEnrolmentSummary), work, retry),
                r => r.State == SummaryState.RetryLater ? r.RetryAfter : null);
        }
        catch (TaskFailedException)
        {
            // The provider kept refusing: close the run as failed so the tenant is not blocked; an error here fails the orchestration.
            report = await context.CallActivityAsync<SummaryReport>(nameof(SendEnrolmentSummary), work with { GiveUp = true }, retry);
        }

        return state with
        {
            Phase = state.NoticeBatches.Count > 0 ? EnrolmentPhase.Notifying : EnrolmentPhase.Done,
            Page = [],
            SummarySentAt = report.SummarySentAt,
            AlertSentAt = report.AlertSentAt,
        };
    }

    private static async Task<EnrolmentState> NotifyAsync(TaskOrchestrationContext context, EnrolmentState state)
    {
        var retry = RetryOptions(state.Plan);
        var run = state.Run;
        var slice = state.NoticeBatches.Skip(state.NoticeBatchesDone).Take(NoticeBatchesPerGeneration).ToList();
        await RunBoundedAsync(slice, state.Plan.MaxParallelNoticeBatches, async batch =>
        {
            var work = new NoticeWork(run.TenantId, run.RunId, batch.Batch, batch.After, batch.Last);
            try
            {
                return await UntilDoneAsync(context, () => context.CallActivityAsync<NoticeBatchReport>(nameof(SendEnrolmentNotices), work, retry),
                    r => r.State == NoticeBatchState.RetryLater ? r.RetryAfter : null);
            }
            catch (TaskFailedException)
            {
                // What was not sent stays pending in the batch's notice row, where the run's status reports it.
                return null;
            }
        });

        var done = state.NoticeBatchesDone + slice.Count;
        if (done < state.NoticeBatches.Count)
        {
            return state with { NoticeBatchesDone = done };
        }

        try
        {
            // The summary went out before the notices; a notice that finally failed is reported to the admin now.
            await UntilDoneAsync(context, () => context.CallActivityAsync<SummaryReport>(nameof(SendEnrolmentNoticeReport),
                new NoticeReportWork(run.TenantId, run.RunId), retry), r => r.State == SummaryState.RetryLater ? r.RetryAfter : null);
        }
        catch (TaskFailedException)
        {
            // The failed notices are still counted in the run's status (customStatus.notices.failed).
        }

        return state with { NoticeBatchesDone = done, Phase = EnrolmentPhase.Done };
    }

    /// <summary>Calls a step until it stops asking to come back, waiting on a durable timer in between.</summary>
    private static async Task<T> UntilDoneAsync<T>(TaskOrchestrationContext context, Func<Task<T>> call, Func<T, TimeSpan?> comeBackAfter)
    {
        var result = await call();
        for (var round = 0; round < MaxRetryLaterRounds && comeBackAfter(result) is { } wait; round++)
        {
            await context.CreateTimer(context.CurrentUtcDateTime + (wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(100)), CancellationToken.None);
            result = await call();
        }

        return result;
    }

    /// <summary>Runs <paramref name="step"/> over the items with at most <paramref name="limit"/> in flight; results in item order.</summary>
    private static async Task<List<T>> RunBoundedAsync<TItem, T>(List<TItem> items, int limit, Func<TItem, Task<T>> step)
    {
        var tasks = new List<Task<T>>(items.Count);
        var inFlight = new List<Task<T>>();
        foreach (var item in items)
        {
            if (inFlight.Count >= limit)
            {
                inFlight.Remove(await Task.WhenAny(inFlight));
            }

            var task = step(item);
            tasks.Add(task);
            inFlight.Add(task);
        }

        return [.. await Task.WhenAll(tasks)];
    }

    private static TaskOptions RetryOptions(EnrolmentPlan plan) =>
        TaskOptions.FromRetryPolicy(new RetryPolicy(plan.StepAttempts, plan.StepRetryDelay, backoffCoefficient: 2));
}
