namespace TwoFactorFunctions.App.Durable;

/// <summary>
/// The standalone Durable Task engine (section <c>Durable</c>). The hub name and partition count must match the
/// function app's host.json (<c>extensions.durableTask</c>), so both hosts read and write the same task hub.
/// </summary>
public sealed class DurableOptions
{
    public string HubName { get; set; } = "TwoFactorFunctions";

    public int PartitionCount { get; set; } = 4;

    /// <summary>Off: the engine only schedules and answers status queries (another process does the work).</summary>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>Idle back-off ceiling of the queue polling (the provider's default, 30 s, is far too slow for a sign-in service).</summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a dequeued work item stays invisible: after a crash, what it held is picked up again this much later.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Keeps a busy orchestration's history in memory between its episodes instead of reading it back from the
    /// History table each time (every completed batch is an episode). Storage layout and crash safety are unchanged.
    /// </summary>
    public bool ExtendedSessions { get; set; } = true;

    public int MaxConcurrentActivities { get; set; } = 10;

    public int MaxConcurrentOrchestrations { get; set; } = 10;

    public IEnumerable<string> Validate()
    {
        if (HubName.Length is < 3 or > 45 || !char.IsAsciiLetter(HubName[0]) || !HubName.All(char.IsAsciiLetterOrDigit))
        {
            yield return "Durable:HubName must be 3-45 letters and digits, starting with a letter (Azure Storage task hub rules).";
        }

        if (PartitionCount is < 1 or > 16)
        {
            yield return "Durable:PartitionCount must be between 1 and 16.";
        }

        if (MaxQueuePollingInterval <= TimeSpan.Zero || VisibilityTimeout <= TimeSpan.Zero || MaxConcurrentActivities < 1 || MaxConcurrentOrchestrations < 1)
        {
            yield return "Durable: intervals must be positive and concurrency at least 1.";
        }
    }
}
