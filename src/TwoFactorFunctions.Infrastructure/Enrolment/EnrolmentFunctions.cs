using Microsoft.Extensions.Logging;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.Infrastructure.Queues;

namespace TwoFactorFunctions.Infrastructure.Enrolment;

// The engine's queue-triggered functions. Each one only reads its message and hands it to the core; the same class
// serves the standalone listener and the Functions host's custom-handler invocation (POST /{FunctionName}).

/// <summary>enrol-plan: pages the tenant's users into batches.</summary>
public sealed class EnrolmentPlannerFunction(EnrolmentPlanner planner, ILogger<EnrolmentPlannerFunction> logger) : IQueueHandler
{
    public const string Name = "EnrolmentPlanner";

    public string Queue => EnrolmentQueueNames.Plan;

    public string FunctionName => Name;

    public Task HandleAsync(QueueDelivery delivery, CancellationToken cancellationToken) =>
        EnrolmentDelivery.HandleAsync<PlanWork>(delivery, Name, logger,
            work => planner.PlanAsync(work, delivery.DequeueCount, cancellationToken));
}

/// <summary>enrol-batch: enrols (or otherwise processes) one batch and counts it into the run.</summary>
public sealed partial class EnrolmentBatchFunction(EnrolmentBatchWorker worker, ILogger<EnrolmentBatchFunction> logger) : IQueueHandler
{
    public const string Name = "EnrolmentBatch";

    public string Queue => EnrolmentQueueNames.Batch;

    public string FunctionName => Name;

    public Task HandleAsync(QueueDelivery delivery, CancellationToken cancellationToken) =>
        EnrolmentDelivery.HandleAsync<BatchWork>(delivery, Name, logger, async work =>
        {
            if (await worker.ProcessAsync(work, cancellationToken) is { } counted)
            {
                LogCounted(logger, work.RunId, work.Batch, counted.Counters.Total, counted.Counters.Failed);
            }
        });

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: batch {Batch} counted ({Total} users, {Failed} failed)")]
    private static partial void LogCounted(ILogger logger, string runId, long batch, long total, long failed);
}

/// <summary>enrol-batch-poison: a batch that failed on every delivery; its users are counted as failed.</summary>
public sealed partial class EnrolmentBatchPoisonFunction(EnrolmentBatchWorker worker, ILogger<EnrolmentBatchPoisonFunction> logger) : IQueueHandler
{
    public const string Name = "EnrolmentBatchPoison";

    public string Queue => EnrolmentQueueNames.BatchPoison;

    public string FunctionName => Name;

    public Task HandleAsync(QueueDelivery delivery, CancellationToken cancellationToken) =>
        EnrolmentDelivery.HandleAsync<BatchWork>(delivery, Name, logger, async work =>
        {
            LogPoisoned(logger, work.RunId, work.Batch, work.Count);
            await worker.FailAsync(work, cancellationToken);
        });

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId}: batch {Batch} failed on every delivery; its {Count} users are counted as failed")]
    private static partial void LogPoisoned(ILogger logger, string runId, long batch, int count);
}

/// <summary>enrol-summary: the admin's summary (and the security alert), once, then the run is closed.</summary>
public sealed partial class EnrolmentSummaryFunction(EnrolmentSummarySender summaries, ILogger<EnrolmentSummaryFunction> logger) : IQueueHandler
{
    public const string Name = "EnrolmentSummary";

    public string Queue => EnrolmentQueueNames.Summary;

    public string FunctionName => Name;

    public Task HandleAsync(QueueDelivery delivery, CancellationToken cancellationToken) =>
        EnrolmentDelivery.HandleAsync<SummaryWork>(delivery, Name, logger, async work =>
        {
            var state = await summaries.SendAsync(work, delivery.DequeueCount, cancellationToken);
            if (state is SummaryState.Completed or SummaryState.Failed)
            {
                LogClosed(logger, work.RunId, state);
            }
        });

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} closed: {State}")]
    private static partial void LogClosed(ILogger logger, string runId, SummaryState state);
}

/// <summary>notices: sends one batch's notices at the provider's pace.</summary>
public sealed partial class NoticeSenderFunction(NoticeSender sender, ILogger<NoticeSenderFunction> logger) : IQueueHandler
{
    public const string Name = "NoticeSender";

    public string Queue => EnrolmentQueueNames.Notices;

    public string FunctionName => Name;

    public Task HandleAsync(QueueDelivery delivery, CancellationToken cancellationToken) =>
        EnrolmentDelivery.HandleAsync<NoticeWork>(delivery, Name, logger, async work =>
        {
            var report = await sender.SendAsync(work, cancellationToken);
            LogReport(logger, work.RunId, work.Batch, report.State, report.Sent, report.RequeuedAfter);
        });

    [LoggerMessage(Level = LogLevel.Debug, Message = "Run {RunId}: notices of batch {Batch} {State} ({Sent} sent now; requeued after {RequeuedAfter})")]
    private static partial void LogReport(ILogger logger, string runId, long batch, NoticeBatchState state, int sent, TimeSpan? requeuedAfter);
}

/// <summary>The first step of every function above: read the message as the function's work item.</summary>
internal static partial class EnrolmentDelivery
{
    public static Task HandleAsync<TWork>(QueueDelivery delivery, string functionName, ILogger logger, Func<TWork, Task> handle)
        where TWork : class
    {
        if (EnrolmentJson.TryRead<TWork>(delivery.MessageText, out var work))
        {
            return handle(work);
        }

        // Retrying cannot fix an unreadable message; it is dropped (and logged without its content).
        LogMalformed(logger, functionName, delivery.MessageId, delivery.MessageText.Length);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{FunctionName} dropped unreadable message {MessageId} ({Length} characters)")]
    private static partial void LogMalformed(ILogger logger, string functionName, string? messageId, int length);
}
