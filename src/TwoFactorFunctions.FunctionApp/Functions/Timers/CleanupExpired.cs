using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.FunctionApp.Functions.Timers;

/// <summary>
/// Deletes expired challenges, device trusts and finished runs' working rows, on the NCRONTAB schedule in the app
/// setting <c>CleanupSchedule</c> (every 5 minutes by default). The standalone host runs the same cleaner on its own timer.
/// </summary>
public sealed partial class CleanupExpiredFunction(ExpiredDataCleaner cleaner, ILogger<CleanupExpiredFunction> logger)
{
    public const string Name = "CleanupExpired";

    [Function(Name)]
    public async Task Run([TimerTrigger("%CleanupSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var report = await cleaner.RunAsync(cancellationToken);
        LogDone(logger, report.Read, report.Deleted, report.Missing, report.Elapsed.TotalSeconds, timer.IsPastDue);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Cleanup read {Read} index rows and removed {Deleted} expired entries ({Missing} already gone) in {Seconds:F1} s; past due: {PastDue}")]
    private static partial void LogDone(ILogger logger, long read, long deleted, long missing, double seconds, bool pastDue);
}
