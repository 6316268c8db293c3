namespace TwoFactorFunctions.Infrastructure.Queues;

/// <summary>
/// The standalone queue listener (section <c>Queues</c>). The defaults mirror host.json <c>extensions.queues</c>, so a
/// message is retried and poisoned the same way with or without the Functions host.
/// </summary>
public sealed class QueueListenerOptions
{
    /// <summary>Standalone only; under the Functions host the host's queue triggers deliver the messages.</summary>
    public bool Enabled { get; set; } = true;

    public int BatchSize { get; set; } = 16;

    /// <summary>A message that fails on its last allowed delivery goes to <c>{queue}-poison</c>.</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>How long a failed message stays invisible before its next delivery.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a message being handled stays invisible to other listeners.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest wait between polls of an empty queue.</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(2);

    public IEnumerable<string> Validate()
    {
        if (BatchSize is < 1 or > 32)
        {
            yield return "Queues:BatchSize must be between 1 and 32 (the storage service's limit).";
        }

        if (MaxDequeueCount < 1)
        {
            yield return "Queues:MaxDequeueCount must be at least 1.";
        }

        if (VisibilityTimeout < TimeSpan.Zero || VisibilityTimeout > TimeSpan.FromDays(7) || Lease < TimeSpan.FromSeconds(1) || Lease > TimeSpan.FromDays(7))
        {
            yield return "Queues:VisibilityTimeout must be 0 to 7 days and Queues:Lease 1 second to 7 days.";
        }

        if (MaxPollingInterval < TimeSpan.FromMilliseconds(10))
        {
            yield return "Queues:MaxPollingInterval must be at least 10 ms.";
        }
    }
}
