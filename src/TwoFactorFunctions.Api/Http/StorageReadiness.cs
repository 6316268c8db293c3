using TwoFactorFunctions.Api.Hosting;
using TwoFactorFunctions.Core.Common;

namespace TwoFactorFunctions.Api.Http;

/// <summary>
/// Holds requests that arrive while the tables are still being created (just after start, or while storage is down at
/// start) for a moment, then answers 503: a request never runs against tables that do not exist yet.
/// </summary>
public sealed class StorageReadiness(RequestDelegate next, StorageInitializer initializer)
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(5);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!initializer.Ready.IsCompleted && context.GetEndpoint()?.Metadata.GetMetadata<ReportsOwnReadiness>() is null)
        {
            try
            {
                await initializer.Ready.WaitAsync(MaxWait, context.RequestAborted);
            }
            catch (TimeoutException)
            {
                var error = new DomainError(ErrorKind.Unavailable, "storage_unavailable", "Storage is unreachable right now; retry shortly.")
                    { RetryAfter = TimeSpan.FromSeconds(ExceptionProblems.StorageRetryAfterSeconds) };
                await ApiProblem.From(error, context).ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    }
}

/// <summary>Endpoint metadata: the health probes answer at once with what they find, instead of waiting for storage.</summary>
public sealed class ReportsOwnReadiness;
