using TwoFactorFunctions.Api.Hosting;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.App.Hosting;

/// <summary>
/// Standalone hosting's cleanup schedule: every <see cref="CleanupOptions.Interval"/>, on the injected clock. Under
/// the Functions host the <c>CleanupExpired</c> timer function runs the same cleaner instead.
/// </summary>
public sealed partial class CleanupScheduler(
    ExpiredDataCleaner cleaner,
    CleanupOptions options,
    StorageInitializer storageInitializer,
    TimeProvider time,
    ILogger<CleanupScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            LogOff(logger);
            return;
        }

        await storageInitializer.Ready.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await cleaner.RunAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The next tick simply starts over: the index still holds whatever this run did not finish.
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled cleanup is off (Cleanup:Enabled=false)")]
    private static partial void LogOff(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled cleanup failed; retrying at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
