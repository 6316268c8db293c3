namespace TwoFactorFunctions.Core.Enrolment;

/// <summary>The enrolment engine (section <c>Enrolment</c>).</summary>
public sealed class EnrolmentOptions
{
    /// <summary>Users per batch message; 100 is the most one entity-group transaction can write.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Keys the planner reads per page (and per checkpoint).</summary>
    public int PlannerPageSize { get; set; } = 1000;

    /// <summary>An unfinished run that has not moved for this long may be superseded by a new settings change.</summary>
    public TimeSpan StaleRunTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A run still Pending after this long gets its planner message sent again when someone looks at it.</summary>
    public TimeSpan RunStartGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a claim (summary, alert, notice) protects a send in progress; older claims are from a dead sender.</summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a finished run's working rows (batch tallies, notice progress) are kept.</summary>
    public TimeSpan RetainRunDataFor { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Delay before a message that found its precondition unmet is looked at again.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The queues' poison threshold (config <c>Queues:MaxDequeueCount</c>, as host.json's): handlers whose queue has no
    /// poison handler wind up their work gracefully on the last delivery instead of leaving the run stuck.
    /// </summary>
    public int MaxDequeueCount { get; set; } = 5;

    public IEnumerable<string> Validate()
    {
        if (BatchSize is < 1 or > 100)
        {
            yield return "Enrolment:BatchSize must be between 1 and 100 (an entity-group transaction holds at most 100 entities).";
        }

        if (PlannerPageSize is < 1 or > 1000)
        {
            yield return "Enrolment:PlannerPageSize must be between 1 and 1000 (a table query page holds at most 1000 entities).";
        }

        if (StaleRunTimeout <= TimeSpan.Zero || RunStartGrace <= TimeSpan.Zero || ClaimTimeout <= TimeSpan.Zero
            || RetainRunDataFor <= TimeSpan.Zero || RetryDelay < TimeSpan.Zero)
        {
            yield return "Enrolment: timeouts and retention must be positive.";
        }

        if (MaxDequeueCount < 1)
        {
            yield return "Queues:MaxDequeueCount must be at least 1.";
        }
    }
}

/// <summary>The notice queue's pace (section <c>Notices</c>): the email provider's quota, shared by every notice handler of the process.</summary>
public sealed class NoticeOptions
{
    public double MaxPerSecond { get; set; } = 10;

    /// <summary>Tokens that may build up while idle.</summary>
    public int Burst { get; set; } = 10;

    /// <summary>A handler waits at most this long for a token; past it the rest of the batch is requeued with a delay.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Delivery attempts per recipient before the notice counts as failed.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Back-off after a delivery failure that gave no Retry-After (doubled per attempt).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(15);

    public IEnumerable<string> Validate()
    {
        if (MaxPerSecond <= 0 || Burst < 1)
        {
            yield return "Notices:MaxPerSecond and Notices:Burst must be positive.";
        }

        if (MaxAttempts < 1 || MaxWait < TimeSpan.Zero || RetryDelay < TimeSpan.Zero)
        {
            yield return "Notices:MaxAttempts must be at least 1 and the delays not negative.";
        }
    }
}
