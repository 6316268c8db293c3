using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.Api.Hosting;

/// <summary>
/// Creates the tables in the background, retrying until storage answers: the app starts (and answers 503) even while
/// storage is down, instead of failing to start.
/// </summary>
public sealed partial class StorageInitializer(TableStorage storage, ILogger<StorageInitializer> logger) : BackgroundService
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Ready => _ready.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.WhenAll(storage.All.Select(t => t.CreateIfNotExistsAsync(stoppingToken)));
                _ready.TrySetResult();
                return;
            }
            catch (Exception ex) when (Http.ExceptionProblems.IsStorageOutage(ex) || ex is Azure.RequestFailedException)
            {
                LogNotReady(logger, ex.GetType().Name, delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage not reachable yet ({ErrorType}); retrying in {Delay}")]
    private static partial void LogNotReady(ILogger logger, string errorType, TimeSpan delay);
}
