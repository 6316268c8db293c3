using Microsoft.AspNetCore.Http.HttpResults;

namespace TwoFactorFunctions.App.Http;

/// <summary>
/// A failed invocation answers 500, which the Functions host counts as a failure (a queue message is retried, then
/// poisoned). The body names the function and the error type only: never a message or a stack trace.
/// </summary>
public static class FunctionFailure
{
    public const string Code = "function_failed";

    public static ProblemHttpResult Problem(string functionName, Exception exception, HttpContext context) =>
        TypedResults.Problem(
            detail: $"{functionName} failed ({exception.GetType().Name}).",
            statusCode: StatusCodes.Status500InternalServerError,
            title: "Function failed",
            type: ApiProblem.TypePrefix + Code,
            extensions: new Dictionary<string, object?>
            {
                ["code"] = Code,
                ["traceId"] = System.Diagnostics.Activity.Current?.Id ?? context.TraceIdentifier,
            });
}
