namespace TwoFactorFunctions.Infrastructure.Queues;

/// <summary>One queue message as delivered, by the app's own listener (standalone) or by the Functions host (custom handler).</summary>
/// <param name="MessageText">The message body as text (queues use no base64 encoding: host.json sets messageEncoding "none").</param>
/// <param name="DequeueCount">1 on the first delivery; the poison path starts past the configured maximum.</param>
public sealed record QueueDelivery(string MessageText, long DequeueCount, string? MessageId, DateTimeOffset? InsertedOn);

/// <summary>
/// A queue-triggered function. The same handler serves both hostings: the standalone listener calls it for messages it
/// dequeues, and the custom-handler endpoint <c>POST /{FunctionName}</c> calls it for the host's invocations. Throwing
/// means "not done": the message becomes visible again and, past the maximum dequeue count, goes to the poison queue.
/// Handlers must therefore be idempotent.
/// </summary>
public interface IQueueHandler
{
    /// <summary>The logical queue name (without the deployment prefix), e.g. <c>enrol-batch</c>.</summary>
    string Queue { get; }

    /// <summary>The function name: the function.json folder and the custom-handler route.</summary>
    string FunctionName { get; }

    Task HandleAsync(QueueDelivery delivery, CancellationToken cancellationToken);
}
