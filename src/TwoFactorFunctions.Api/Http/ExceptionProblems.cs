using System.Net.Sockets;
using Azure;
using Microsoft.AspNetCore.Diagnostics;
using TwoFactorFunctions.Core.Common;

namespace TwoFactorFunctions.Api.Http;

/// <summary>
/// The last line of defence: malformed requests become 400/413, an unreachable storage account becomes 503 with
/// Retry-After, and anything else a 500 problem without internals. A stack trace never leaves the process.
/// </summary>
public sealed partial class ExceptionProblems(IProblemDetailsService problems, ILogger<ExceptionProblems> logger) : IExceptionHandler
{
    public const int StorageRetryAfterSeconds = 10;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (kind, code, detail, member) = Classify(exception, httpContext);
        if (kind == ErrorKind.Unavailable)
        {
            LogStorageUnavailable(logger, exception.GetType().Name, httpContext.Request.Path);
            httpContext.Response.Headers.RetryAfter = StorageRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (code == "internal_error")
        {
            LogUnhandled(logger, exception, httpContext.Request.Path);
        }

        var status = code == "body_too_large" ? StatusCodes.Status413PayloadTooLarge : code == "internal_error" ? 500 : ApiProblem.StatusFor(kind);
        httpContext.Response.StatusCode = status;
        var problem = new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = null,
            ProblemDetails =
            {
                Status = status,
                Type = ApiProblem.TypePrefix + code,
                Title = code.Replace('_', ' '),
                Detail = detail,
                Extensions = { ["code"] = code },
            },
        };
        if (member is not null)
        {
            problem.ProblemDetails.Extensions["member"] = member;
        }

        return await problems.TryWriteAsync(problem);
    }

    public static bool IsStorageOutage(Exception exception) => exception switch
    {
        RequestFailedException rfe => rfe.Status == 0 || rfe.Status >= 500 || rfe.ErrorCode is "TableNotFound" or "QueueNotFound",
        HttpRequestException or SocketException or TimeoutException => true,
        AggregateException agg => agg.InnerExceptions.Any(IsStorageOutage),
        _ => exception.InnerException is { } inner && IsStorageOutage(inner),
    };

    private static (ErrorKind Kind, string Code, string Detail, string? Member) Classify(Exception exception, HttpContext context)
    {
        // A body the JSON reader refused (malformed, a wrong type, an unknown or a missing required member): the handler
        // never ran, so nothing changed; the problem names the member so the caller can fix the request.
        if ((exception as System.Text.Json.JsonException ?? exception.InnerException as System.Text.Json.JsonException) is { } json)
        {
            var (member, detail) = BodyProblems.Describe(json);
            return (ErrorKind.Invalid, BodyProblems.Code, detail, member);
        }

        if (exception is BadHttpRequestException bad)
        {
            return bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? (ErrorKind.Invalid, "body_too_large", "The request body is larger than this endpoint accepts.", null)
                : (ErrorKind.Invalid, "invalid_request", "The request could not be read: check its content type and that it has the body the API reference documents.", null);
        }

        if (IsStorageOutage(exception) || (exception is OperationCanceledException && !context.RequestAborted.IsCancellationRequested))
        {
            return (ErrorKind.Unavailable, "storage_unavailable", "Storage is unreachable right now; retry shortly.", null);
        }

        return (ErrorKind.Conflict, "internal_error", "An unexpected error occurred.", null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage unavailable ({ErrorType}) while serving {Path}")]
    private static partial void LogStorageUnavailable(ILogger logger, string errorType, PathString path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error while serving {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, PathString path);
}
