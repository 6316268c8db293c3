namespace TwoFactorFunctions.Core.Enrolment;

/// <summary>The enrolment engine (section <c>Enrolment</c>).</summary>
public sealed class EnrolmentOptions
{
    /// <summary>
    /// Users per batch step, written as entity-group transactions of up to 100 each. Two transactions per step halve
    /// the engine's own storage traffic per user (each step is a few queue and history operations) at the price of
    /// more users counted as failed when a step keeps failing.
    /// </summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Keys read per listing step; the orchestration continues as new after each page, bounding its history.</summary>
    public int PageSize { get; set; } = 1000;

    /// <summary>Batch steps in flight at once per run.</summary>
    public int MaxParallelBatches { get; set; } = 10;

    /// <summary>Notice steps in flight at once per run (they share the provider's quota, see <c>Notices</c>).</summary>
    public int MaxParallelNoticeBatches { get; set; } = 4;

    /// <summary>Attempts per step (listing, batch, summary) before the orchestration settles it as failed.</summary>
    public int StepAttempts { get; set; } = 4;

    /// <summary>First retry delay of a failed step; doubled per attempt.</summary>
    public TimeSpan StepRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A run whose orchestration has not appeared after this long is started again when someone looks at it.</summary>
    public TimeSpan RunStartGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a claim (summary, alert, notice) protects a send in progress; older claims are from a dead sender.</summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a finished run's working rows (notice progress) are kept.</summary>
    public TimeSpan RetainRunDataFor { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The engine's part of these options, fixed into the orchestration's input when a run starts.</summary>
    public EnrolmentPlan Plan() => new(PageSize, BatchSize, MaxParallelBatches, MaxParallelNoticeBatches, StepAttempts, StepRetryDelay);

    public IEnumerable<string> Validate()
    {
        if (BatchSize is < 1 or > 1000 || BatchSize > PageSize)
        {
            yield return "Enrolment:BatchSize must be between 1 and 1000, and at most Enrolment:PageSize (a batch is cut from one page).";
        }

        if (PageSize is < 1 or > 1000)
        {
            yield return "Enrolment:PageSize must be between 1 and 1000 (a table query page holds at most 1000 entities).";
        }

        if (MaxParallelBatches < 1 || MaxParallelNoticeBatches < 1 || StepAttempts < 1)
        {
            yield return "Enrolment:MaxParallelBatches, MaxParallelNoticeBatches and StepAttempts must be at least 1.";
        }

        if (RunStartGrace <= TimeSpan.Zero || ClaimTimeout <= TimeSpan.Zero || RetainRunDataFor <= TimeSpan.Zero || StepRetryDelay <= TimeSpan.Zero)
        {
            yield return "Enrolment: timeouts, delays and retention must be positive.";
        }
    }
}

/// <summary>
/// How the orchestration cuts and paces a run. Part of its input, so a replay never depends on configuration read
/// at replay time (orchestrator code must be deterministic).
/// </summary>
public sealed record EnrolmentPlan(int PageSize, int BatchSize, int MaxParallelBatches, int MaxParallelNoticeBatches, int StepAttempts, TimeSpan StepRetryDelay);

/// <summary>The notices' pace (section <c>Notices</c>): the email provider's quota, shared by every notice handler of the process.</summary>
public sealed class NoticeOptions
{
    public double MaxPerSecond { get; set; } = 10;

    /// <summary>Tokens that may build up while idle.</summary>
    public int Burst { get; set; } = 10;

    /// <summary>A notice step waits at most this long for a token; past it the step returns and is called again later.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Claims per recipient before the notice counts as failed: each a send the provider refused, or one whose sender stopped before recording it.</summary>
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
