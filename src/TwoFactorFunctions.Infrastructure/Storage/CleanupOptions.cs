namespace TwoFactorFunctions.Infrastructure.Storage;

/// <summary>Settings of the expired-data cleanup (section <c>Cleanup</c>).</summary>
public sealed class CleanupOptions
{
    /// <summary>Standalone only: run the cleanup on a schedule. Under the Functions host the timer function does it.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Standalone schedule. Under the Functions host the app setting <c>CleanupSchedule</c> (NCRONTAB) applies.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Batch transactions in flight at once.</summary>
    public int Parallelism { get; set; } = 8;

    /// <summary>Index rows read before their rows are deleted; bounds memory, and larger rounds make fuller batches.</summary>
    public int RoundSize { get; set; } = 5000;

    public IEnumerable<string> Validate()
    {
        if (Interval < TimeSpan.FromSeconds(1))
        {
            yield return "Cleanup:Interval must be at least one second.";
        }

        if (Parallelism is < 1 or > 64)
        {
            yield return "Cleanup:Parallelism must be between 1 and 64.";
        }

        if (RoundSize is < 100 or > 100_000)
        {
            yield return "Cleanup:RoundSize must be between 100 and 100000.";
        }
    }
}
