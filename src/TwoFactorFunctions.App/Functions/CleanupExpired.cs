using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.App.Http;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.App.Functions;

/// <summary>
/// POST /CleanupExpired — the timer function (NCRONTAB from the app setting <c>CleanupSchedule</c>, every 5 minutes by
/// default): deletes expired challenges, device trusts and finished-run data. Data: <c>{"timer": {"Schedule": ...,
/// "ScheduleStatus": {...}, "IsPastDue": bool}}</c>.
/// </summary>
public static partial class CleanupExpired
{
    public const string Binding = "timer";

    public static async Task<Results<Ok<InvocationResult>, ProblemHttpResult>> HandleAsync(
        HttpContext context, ExpiredDataCleaner cleaner, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var invocation = await FunctionInvocation.ReadAsync(context.Request, cancellationToken);
        if (invocation?.Binding(Binding) is not { } timer)
        {
            return ApiProblem.Create(ErrorKind.Invalid, "invalid_invocation",
                $"Expected {{\"Data\": {{\"{Binding}\": {{...}}}}, \"Metadata\": {{...}}}} as the Functions host sends.", context);
        }

        var logger = loggers.CreateLogger(typeof(CleanupExpired));
        var pastDue = IsPastDue(timer);
        try
        {
            var report = await cleaner.RunAsync(cancellationToken);
            var summary = string.Create(CultureInfo.InvariantCulture,
                $"Cleanup read {report.Read} index rows and removed {report.Deleted} expired entries ({report.Missing} already gone) in {report.Elapsed.TotalSeconds:F1} s{(pastDue ? "; the run was past due" : "")}.");
            return TypedResults.Ok(InvocationResult.Done(summary));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, ex);
            return FunctionFailure.Problem(nameof(CleanupExpired), ex, context);
        }
    }

    /// <summary>The timer value is an object; some hosts hand it over as a JSON string, read that too.</summary>
    private static bool IsPastDue(JsonElement timer)
    {
        if (timer.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var inner = JsonDocument.Parse(timer.GetString() ?? "{}");
                return IsPastDue(inner.RootElement.Clone());
            }
            catch (JsonException)
            {
                return false;
            }
        }

        return timer.ValueKind == JsonValueKind.Object
               && timer.EnumerateObject().Any(p => p.NameEquals("IsPastDue") && p.Value.ValueKind == JsonValueKind.True);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "CleanupExpired failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
