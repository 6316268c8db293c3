using System.ComponentModel.DataAnnotations;
using TwoFactorFunctions.Core.Common;

namespace TwoFactorFunctions.Infrastructure.Storage;

/// <summary>Settings of the expired-data cleanup (section <c>Cleanup</c>).</summary>
public sealed class CleanupOptions
{
    public const string Section = "Cleanup";

    /// <summary>Standalone only: run the cleanup on a schedule. Under the Functions host the timer function does it.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Standalone schedule. Under the Functions host the app setting <c>CleanupSchedule</c> (NCRONTAB) applies.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:01", SettingRules.Unbounded, ErrorMessage = Section + ":Interval must be at least one second.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Batch transactions in flight at once.</summary>
    [SettingRange(1, 64, ErrorMessage = Section + ":Parallelism must be between {1} and {2}.")]
    public int Parallelism { get; set; } = 8;

    /// <summary>Index rows read before their rows are deleted; bounds memory, and larger rounds make fuller batches.</summary>
    [SettingRange(100, 100_000, ErrorMessage = Section + ":RoundSize must be between {1} and {2}.")]
    public int RoundSize { get; set; } = 5000;
}
