using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.App.Http;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Infrastructure.Queues;

namespace TwoFactorFunctions.App.Functions;

/// <summary>
/// POST /{FunctionName} for every queue-triggered function: hands the host's message to the <see cref="IQueueHandler"/>
/// of that name, the same handler the standalone listener calls. Data: <c>{"message": "&lt;text&gt;" or JSON}</c>;
/// Metadata: <c>DequeueCount</c>, <c>Id</c>, <c>InsertionTime</c>, ...
/// </summary>
public static partial class QueueFunction
{
    /// <summary>The trigger binding's name in every queue function.json.</summary>
    public const string Binding = "message";

    public static async Task<Results<Ok<InvocationResult>, ProblemHttpResult>> HandleAsync(
        string functionName, HttpContext context, IEnumerable<IQueueHandler> handlers, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var handler = handlers.First(h => h.FunctionName == functionName);
        var invocation = await FunctionInvocation.ReadAsync(context.Request, cancellationToken);
        if (invocation?.BindingText(Binding) is not { } text)
        {
            return ApiProblem.Create(ErrorKind.Invalid, "invalid_invocation",
                $"Expected {{\"Data\": {{\"{Binding}\": \"...\"}}, \"Metadata\": {{\"DequeueCount\": 1, ...}}}} as the Functions host sends.", context);
        }

        var delivery = new QueueDelivery(text, invocation.DequeueCount, invocation.MessageId, invocation.InsertionTime);
        try
        {
            await handler.HandleAsync(delivery, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(loggers.CreateLogger(typeof(QueueFunction)), ex, functionName, delivery.MessageId, delivery.DequeueCount);
            return FunctionFailure.Problem(functionName, ex, context);
        }

        return TypedResults.Ok(InvocationResult.Done(string.Create(CultureInfo.InvariantCulture,
            $"{functionName} handled message {delivery.MessageId ?? "(no id)"} on delivery {delivery.DequeueCount}.")));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{FunctionName} failed on message {MessageId} (delivery {DequeueCount})")]
    private static partial void LogFailed(ILogger logger, Exception exception, string functionName, string? messageId, long dequeueCount);
}
