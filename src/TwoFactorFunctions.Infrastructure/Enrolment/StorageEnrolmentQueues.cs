using Azure;
using Azure.Storage.Queues;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.Infrastructure.Queues;

namespace TwoFactorFunctions.Infrastructure.Enrolment;

/// <summary>The logical queue names of the engine (physical name: <c>{prefix}-{name}</c>), as the function.json files use them.</summary>
public static class EnrolmentQueueNames
{
    public const string Plan = "enrol-plan";
    public const string Batch = "enrol-batch";
    public const string BatchPoison = "enrol-batch-poison";
    public const string Summary = "enrol-summary";
    public const string Notices = "notices";
}

/// <summary>Sends the engine's messages as plain JSON text to Azure Storage queues.</summary>
public sealed class StorageEnrolmentQueues(QueueStorage queues) : IEnrolmentQueues
{
    /// <summary>The batches of one planner page go out this many at a time.</summary>
    private const int SendParallelism = 8;

    public Task EnqueuePlanAsync(PlanWork work, TimeSpan delay, CancellationToken cancellationToken) =>
        SendAsync(EnrolmentQueueNames.Plan, EnrolmentJson.Write(work), delay, cancellationToken);

    public Task EnqueueBatchesAsync(IReadOnlyList<BatchWork> batches, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = SendParallelism, CancellationToken = cancellationToken },
            async (batch, ct) => await SendAsync(EnrolmentQueueNames.Batch, EnrolmentJson.Write(batch), TimeSpan.Zero, ct));

    public Task EnqueueSummaryAsync(SummaryWork work, TimeSpan delay, CancellationToken cancellationToken) =>
        SendAsync(EnrolmentQueueNames.Summary, EnrolmentJson.Write(work), delay, cancellationToken);

    public Task EnqueueNoticesAsync(NoticeWork work, TimeSpan delay, CancellationToken cancellationToken) =>
        SendAsync(EnrolmentQueueNames.Notices, EnrolmentJson.Write(work), delay, cancellationToken);

    private async Task SendAsync(string logicalName, string text, TimeSpan delay, CancellationToken cancellationToken)
    {
        var queue = queues.Get(logicalName);
        var visibility = delay > TimeSpan.Zero ? delay : (TimeSpan?)null;
        try
        {
            await queue.SendMessageAsync(text, visibility, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == "QueueNotFound")
        {
            // Under the Functions host nobody has created the queue yet; the first sender does.
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await queue.SendMessageAsync(text, visibility, cancellationToken: cancellationToken);
        }
    }
}
