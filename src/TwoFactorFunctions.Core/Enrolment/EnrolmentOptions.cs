using System.ComponentModel.DataAnnotations;
using TwoFactorFunctions.Core.Common;

namespace TwoFactorFunctions.Core.Enrolment;

/// <summary>The enrolment engine (section <c>Enrolment</c>).</summary>
public sealed class EnrolmentOptions
{
    public const string Section = "Enrolment";

    /// <summary>
    /// Users per batch step, written as entity-group transactions of up to 100 each. Each step costs the engine a few
    /// queue and history operations whatever its size, so five transactions per step cut that traffic per user to a
    /// fifth of one per step (measured: users/s ÷ raw merge rate 0.63 at 200, 0.79 at 500) at the price of more users
    /// counted as failed when a step keeps failing.
    /// </summary>
    [SettingRange(1, 1000, ErrorMessage = Section + ":BatchSize must be between {1} and {2}.")]
    public int BatchSize { get; set; } = 500;

    /// <summary>Keys read per listing step; the orchestration continues as new after each page, bounding its history.</summary>
    [SettingRange(1, 1000, ErrorMessage = Section + ":PageSize must be between {1} and {2} (a table query page holds at most 1000 entities).")]
    public int PageSize { get; set; } = 1000;

    /// <summary>Batch steps in flight at once per run.</summary>
    [SettingRange(1, int.MaxValue, ErrorMessage = Section + ":MaxParallelBatches must be at least {1}.")]
    public int MaxParallelBatches { get; set; } = 10;

    /// <summary>Notice steps in flight at once per run (they share the provider's quota, see <c>Notices</c>).</summary>
    [SettingRange(1, int.MaxValue, ErrorMessage = Section + ":MaxParallelNoticeBatches must be at least {1}.")]
    public int MaxParallelNoticeBatches { get; set; } = 4;

    /// <summary>Attempts per step (listing, batch, summary) before the orchestration settles it as failed.</summary>
    [SettingRange(1, int.MaxValue, ErrorMessage = Section + ":StepAttempts must be at least {1}.")]
    public int StepAttempts { get; set; } = 4;

    /// <summary>First retry delay of a failed step; doubled per attempt.</summary>
    [SettingRange(typeof(TimeSpan), SettingRules.Positive, SettingRules.Unbounded, ErrorMessage = Section + ":StepRetryDelay must be positive.")]
    public TimeSpan StepRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A run whose orchestration has not appeared after this long is started again when someone looks at it.</summary>
    [SettingRange(typeof(TimeSpan), SettingRules.Positive, SettingRules.Unbounded, ErrorMessage = Section + ":RunStartGrace must be positive.")]
    public TimeSpan RunStartGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a claim (summary, alert, notice) protects a send in progress; older claims are from a dead sender.</summary>
    [SettingRange(typeof(TimeSpan), SettingRules.Positive, SettingRules.Unbounded, ErrorMessage = Section + ":ClaimTimeout must be positive.")]
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a finished run's working rows (notice progress) are kept.</summary>
    [SettingRange(typeof(TimeSpan), SettingRules.Positive, SettingRules.Unbounded, ErrorMessage = Section + ":RetainRunDataFor must be positive.")]
    public TimeSpan RetainRunDataFor { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The engine's part of these options, fixed into the orchestration's input when a run starts.</summary>
    public EnrolmentPlan Plan() => new(PageSize, BatchSize, MaxParallelBatches, MaxParallelNoticeBatches, StepAttempts, StepRetryDelay);
}

/// <summary>
/// How the orchestration cuts and paces a run. Part of its input, so a replay never depends on configuration read
/// at replay time (orchestrator code must be deterministic).
/// </summary>
public sealed record EnrolmentPlan(int PageSize, int BatchSize, int MaxParallelBatches, int MaxParallelNoticeBatches, int StepAttempts, TimeSpan StepRetryDelay);

/// <summary>The notices' pace (section <c>Notices</c>): the email provider's quota, shared by every notice handler of the process.</summary>
public sealed class NoticeOptions
{
    public const string Section = "Notices";

    [SettingRange(0d, double.MaxValue, MinimumIsExclusive = true, ErrorMessage = Section + ":MaxPerSecond must be positive.")]
    public double MaxPerSecond { get; set; } = 10;

    /// <summary>Tokens that may build up while idle.</summary>
    [SettingRange(1, int.MaxValue, ErrorMessage = Section + ":Burst must be at least {1}.")]
    public int Burst { get; set; } = 10;

    /// <summary>A notice step waits at most this long for a token; past it the step returns and is called again later.</summary>
    [SettingRange(typeof(TimeSpan), SettingRules.Zero, SettingRules.Unbounded, ErrorMessage = Section + ":MaxWait must not be negative.")]
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Claims per recipient before the notice counts as failed: each a send the provider refused, or one whose sender stopped before recording it.</summary>
    [SettingRange(1, int.MaxValue, ErrorMessage = Section + ":MaxAttempts must be at least {1}.")]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Back-off after a delivery failure that gave no Retry-After (doubled per attempt).</summary>
    [SettingRange(typeof(TimeSpan), SettingRules.Zero, SettingRules.Unbounded, ErrorMessage = Section + ":RetryDelay must not be negative.")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(15);
}
