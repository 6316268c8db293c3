using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Core.Common;

namespace TwoFactorFunctions.Api.Http;

/// <summary>Turns domain errors into RFC 9457 problem details with a stable <c>code</c> extension.</summary>
public static class ApiProblem
{
    public const string TypePrefix = "urn:twofactorfunctions:problem:";

    public static int StatusFor(ErrorKind kind) => kind switch
    {
        ErrorKind.Invalid => StatusCodes.Status400BadRequest,
        ErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Gone => StatusCodes.Status410Gone,
        ErrorKind.Locked => StatusCodes.Status423Locked,
        ErrorKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static ProblemHttpResult From(DomainError error, HttpContext context)
    {
        if (error.RetryAfter is { } retryAfter)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        var extensions = new Dictionary<string, object?>(error.Extensions) { ["code"] = error.Code };
        return TypedResults.Problem(
            detail: error.Detail,
            statusCode: StatusFor(error.Kind),
            title: Title(error.Code),
            type: TypePrefix + error.Code,
            extensions: extensions);
    }

    public static ProblemHttpResult Create(ErrorKind kind, string code, string detail, HttpContext context) =>
        From(new DomainError(kind, code, detail), context);

    private static string Title(string code) =>
        string.Create(code.Length, code, (span, c) =>
        {
            for (var i = 0; i < c.Length; i++)
            {
                span[i] = c[i] == '_' ? ' ' : c[i];
            }

            span[0] = char.ToUpperInvariant(span[0]);
        });
}
