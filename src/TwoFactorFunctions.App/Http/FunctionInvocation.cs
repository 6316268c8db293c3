using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TwoFactorFunctions.App.Http;

/// <summary>What the Functions host answers for: <c>{"Outputs": {...}, "Logs": [...], "ReturnValue": ...}</c>, names as spelled.</summary>
public sealed record InvocationResult(
    [property: JsonPropertyName("Outputs")] IReadOnlyDictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue")] object? ReturnValue)
{
    public static InvocationResult Done(params string[] logs) => new(new Dictionary<string, object?>(), logs, null);
}

/// <summary>Marks the <c>POST /{FunctionName}</c> endpoints the Functions host invokes for non-HTTP triggers.</summary>
public sealed record FunctionInvocationMetadata(string FunctionName, string Trigger);

/// <summary>
/// A non-HTTP invocation from the Functions host: <c>{"Data": {"&lt;binding&gt;": value}, "Metadata": {...}}</c>. A binding
/// value is whatever the host serialised: a string (a queue message as text) or, for content it parsed as JSON, the
/// JSON itself; <see cref="BindingText"/> gives the original text either way.
/// </summary>
public sealed class FunctionInvocation
{
    private FunctionInvocation(JsonElement data, JsonElement? metadata)
    {
        Data = data;
        Metadata = metadata;
    }

    public JsonElement Data { get; }

    public JsonElement? Metadata { get; }

    /// <summary>The invocation, or null when the body is not JSON of the documented shape.</summary>
    public static async Task<FunctionInvocation?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Property(root, "Data") is not { ValueKind: JsonValueKind.Object } data)
            {
                return null;
            }

            var metadata = Property(root, "Metadata") is { ValueKind: JsonValueKind.Object } m ? m.Clone() : (JsonElement?)null;
            return new FunctionInvocation(data.Clone(), metadata);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public JsonElement? Binding(string name) => Property(Data, name) is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } v ? v : null;

    /// <summary>A binding's value as the text it was sent as: a JSON string unwrapped, any other JSON value verbatim.</summary>
    public string? BindingText(string name) => Binding(name) switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { } other => other.GetRawText(),
        null => null,
    };

    /// <summary>1 when the host did not say (a first delivery); the host sends a number, tolerated as a string.</summary>
    public long DequeueCount => MetadataValue("DequeueCount") switch
    {
        { ValueKind: JsonValueKind.Number } n when n.TryGetInt64(out var count) => count,
        { ValueKind: JsonValueKind.String } s when long.TryParse(s.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) => count,
        _ => 1,
    };

    public string? MessageId => MetadataValue("Id") is { ValueKind: JsonValueKind.String } id ? id.GetString() : null;

    public DateTimeOffset? InsertionTime =>
        MetadataValue("InsertionTime") is { ValueKind: JsonValueKind.String } t
        && DateTimeOffset.TryParse(t.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;

    private JsonElement? MetadataValue(string name) => Metadata is { } m ? Property(m, name) : null;

    /// <summary>The host's casing is PascalCase; matching ignores case so a hand-written call works too.</summary>
    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }
}
