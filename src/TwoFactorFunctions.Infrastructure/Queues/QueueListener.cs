using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TwoFactorFunctions.Infrastructure.Queues;

/// <summary>
/// Standalone hosting only (off when <see cref="QueueListenerOptions.Enabled"/> is false, as under the Functions host): polls each handler's queue and delivers messages the way the Functions host does — in
/// batches, deleted after the handler returns, made visible again after <see cref="QueueListenerOptions.VisibilityTimeout"/>
/// when it throws, and moved to <c>{queue}-poison</c> when it throws on the last allowed delivery.
/// </summary>
public sealed partial class QueueListener(
    IEnumerable<IQueueHandler> handlers,
    QueueStorage queues,
    QueueListenerOptions options,
    ILogger<QueueListener> logger) : BackgroundService
{
    private static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(50);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            LogOff(logger);
            return Task.CompletedTask;
        }

        return Task.WhenAll(handlers.Select(h => ListenAsync(h, stoppingToken)));
    }

    private async Task ListenAsync(IQueueHandler handler, CancellationToken stoppingToken)
    {
        var queue = queues.Get(handler.Queue);
        var wait = MinPollingInterval;
        var created = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] messages;
            try
            {
                if (!created)
                {
                    await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
                    created = true;
                }

                messages = (await queue.ReceiveMessagesAsync(options.BatchSize, options.Lease, stoppingToken)).Value;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogPollFailed(logger, queue.Name, ex.GetType().Name);
                messages = [];
                wait = options.MaxPollingInterval;
            }

            if (messages.Length == 0)
            {
                // Wall-clock pacing of I/O, deliberately not the injected TimeProvider: a test's frozen clock must not
                // stop message delivery.
                await Task.Delay(wait, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, options.MaxPollingInterval.Ticks));
                continue;
            }

            wait = MinPollingInterval;
            await Task.WhenAll(messages.Select(m => DeliverAsync(handler, queue, m, stoppingToken)));
        }
    }

    private async Task DeliverAsync(IQueueHandler handler, QueueClient queue, QueueMessage message, CancellationToken stoppingToken)
    {
        try
        {
            await handler.HandleAsync(new QueueDelivery(message.Body.ToString(), message.DequeueCount, message.MessageId, message.InsertedOn), stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogHandlerFailed(logger, ex, handler.FunctionName, message.MessageId, message.DequeueCount);
            await FailAsync(handler, queue, message, stoppingToken);
            return;
        }
        catch (OperationCanceledException)
        {
            // Shutting down: the lease runs out and the message is delivered again.
            return;
        }

        await TryAsync(() => queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken), queue.Name, stoppingToken);
    }

    private async Task FailAsync(IQueueHandler handler, QueueClient queue, QueueMessage message, CancellationToken stoppingToken)
    {
        if (message.DequeueCount >= options.MaxDequeueCount)
        {
            var poison = queues.PoisonOf(handler.Queue);
            var moved = await TryAsync(async () =>
            {
                await poison.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
                await poison.SendMessageAsync(message.Body, cancellationToken: stoppingToken);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
            }, queue.Name, stoppingToken);
            if (moved)
            {
                LogPoisoned(logger, message.MessageId, poison.Name, message.DequeueCount);
            }

            return;
        }

        await TryAsync(
            () => queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: options.VisibilityTimeout, cancellationToken: stoppingToken),
            queue.Name, stoppingToken);
    }

    /// <summary>
    /// Settling a message may fail (storage hiccup, lease lost to a slow handler); the message then simply comes back
    /// when its lease ends, which handlers are built for (they are idempotent).
    /// </summary>
    private async Task<bool> TryAsync(Func<Task> action, string queueName, CancellationToken stoppingToken)
    {
        try
        {
            await action();
            return true;
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogSettleFailed(logger, queueName, ex.GetType().Name);
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue listener is off (Functions host, or Queues:Enabled=false)")]
    private static partial void LogOff(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling queue {Queue} failed ({ErrorType}); retrying")]
    private static partial void LogPollFailed(ILogger logger, string queue, string errorType);

    [LoggerMessage(Level = LogLevel.Error, Message = "{FunctionName} failed on message {MessageId} (delivery {DequeueCount})")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string functionName, string messageId, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} moved to {PoisonQueue} after {DequeueCount} deliveries")]
    private static partial void LogPoisoned(ILogger logger, string messageId, string poisonQueue, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Settling a message of queue {Queue} failed ({ErrorType}); it will be delivered again")]
    private static partial void LogSettleFailed(ILogger logger, string queue, string errorType);
}
