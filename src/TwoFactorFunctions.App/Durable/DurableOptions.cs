using System.ComponentModel.DataAnnotations;
using TwoFactorFunctions.Api.HealthChecks;
using TwoFactorFunctions.Core.Common;

namespace TwoFactorFunctions.App.Durable;

/// <summary>
/// The standalone Durable Task engine (section <c>Durable</c>). Its values must match the function app's host.json
/// (<c>extensions.durableTask</c>; a test compares them), so both hosts read and write the same task hub alike.
/// </summary>
public sealed class DurableOptions
{
    public const string Section = "Durable";

    /// <summary>
    /// Not in the section: both hosts read the one app setting <c>DurableHubName</c> (<see cref="TaskHubName"/>), which
    /// host.json names as <c>%DurableHubName%</c>.
    /// </summary>
    [Required(ErrorMessage = TaskHubName.Setting + " is required.")]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,44}$", ErrorMessage = TaskHubName.Setting + " must be 3-45 letters and digits, starting with a letter (Azure Storage task hub rules).")]
    public string HubName { get; set; } = TaskHubName.Default;

    [SettingRange(1, 16, ErrorMessage = Section + ":PartitionCount must be between {1} and {2}.")]
    public int PartitionCount { get; set; } = 4;

    /// <summary>Off: the engine only schedules and answers status queries (another process does the work).</summary>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>Idle back-off ceiling of the queue polling (the provider's default, 30 s, is far too slow for a sign-in service).</summary>
    [SettingRange(typeof(TimeSpan), SettingRules.Positive, SettingRules.Unbounded, ErrorMessage = Section + ":MaxQueuePollingInterval must be positive.")]
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a dequeued work item stays invisible: after a crash, what it held is picked up again this much later.</summary>
    [SettingRange(typeof(TimeSpan), SettingRules.Positive, SettingRules.Unbounded, ErrorMessage = Section + ":VisibilityTimeout must be positive.")]
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Keeps a busy orchestration's history in memory between its episodes instead of reading it back from the
    /// History table each time (every completed batch is an episode). Storage layout and crash safety are unchanged.
    /// </summary>
    public bool ExtendedSessions { get; set; } = true;

    [SettingRange(1, int.MaxValue, ErrorMessage = Section + ":MaxConcurrentActivities must be at least {1}.")]
    public int MaxConcurrentActivities { get; set; } = 10;

    [SettingRange(1, int.MaxValue, ErrorMessage = Section + ":MaxConcurrentOrchestrations must be at least {1}.")]
    public int MaxConcurrentOrchestrations { get; set; } = 10;
}
