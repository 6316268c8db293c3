using System.Text.Json;
using System.Text.RegularExpressions;

namespace TwoFactorFunctions.Api.Http;

/// <summary>
/// What was wrong with a request body the JSON reader refused, in the caller's terms: the JSON path of the member
/// (<c>$.displayName</c>, <c>$[0].email</c>) and a sentence without .NET type names.
/// </summary>
/// <remarks>
/// System.Text.Json reports a missing required member and an unknown one in its message, not in
/// <see cref="JsonException.Path"/> (which points at the enclosing object), so those two are read from the message; its
/// wording has been stable since .NET 7, and a message that no longer matches still yields the object's path.
/// </remarks>
public static partial class BodyProblems
{
    public const string Code = "invalid_body";

    /// <summary>The member the reader stopped at and why, for an <c>invalid_body</c> problem.</summary>
    public static (string Member, string Detail) Describe(JsonException exception)
    {
        var at = string.IsNullOrEmpty(exception.Path) ? "$" : exception.Path;
        var message = exception.Message;
        if (UnknownMember().Match(message) is { Success: true } unknown)
        {
            var member = Child(at, unknown.Groups[1].Value);
            return (member, $"'{member}' is not a member of this request: check its spelling against the API reference.");
        }

        if (MissingMembers().Match(message) is { Success: true } missing)
        {
            var member = Child(at, missing.Groups[1].Value);
            return (member, $"'{member}' is required.");
        }

        return exception.BytePositionInLine is null && exception.LineNumber is null && at == "$"
            ? ("$", "The request body is not JSON of the documented shape.")
            : (at, $"'{at}' is not well-formed JSON of the documented type (a string, number, boolean, array or object as the API reference says, or an allowed value).");
    }

    /// <summary>The path of <paramref name="name"/> inside the object at <paramref name="parent"/>; the reader may already have stepped into it.</summary>
    private static string Child(string parent, string name) =>
        parent.EndsWith("." + name, StringComparison.Ordinal) || parent.EndsWith($"['{name}']", StringComparison.Ordinal) ? parent : parent + "." + name;

    [GeneratedRegex("^The JSON property '([^']+)' could not be mapped", RegexOptions.CultureInvariant)]
    private static partial Regex UnknownMember();

    [GeneratedRegex("missing required properties including: '([^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex MissingMembers();
}
