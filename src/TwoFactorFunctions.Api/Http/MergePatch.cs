using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace TwoFactorFunctions.Api.Http;

/// <summary>
/// JSON Merge Patch (RFC 7396) for the resources that are also PUT: the patch is applied to the resource's current
/// representation and the result is read as the PUT body, with the same strict reader (<see cref="Hosting.RequestContracts"/>).
/// So a patch is held to every rule a PUT is (unknown members, types, required members, the domain's checks) and there
/// is one write path for both.
/// </summary>
public static class MergePatch
{
    public const string MediaType = "application/merge-patch+json";

    /// <summary>The patch document; a body that is not JSON throws <see cref="JsonException"/> (400 invalid_body).</summary>
    public static async Task<JsonNode?> ReadAsync(HttpRequest request, CancellationToken cancellationToken) =>
        await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken);

    /// <summary>
    /// <paramref name="current"/> (the resource as its PUT body) with <paramref name="patch"/> applied, read back as
    /// <typeparamref name="TBody"/>: throws <see cref="JsonException"/> naming the member when the result is not a valid
    /// body. Written with the API's own serializer options, so the member names are the ones a PUT takes.
    /// </summary>
    public static TBody Merge<TBody>(TBody current, JsonNode? patch, HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var merged = Apply(JsonSerializer.SerializeToNode(current, options), patch);
        return merged.Deserialize<TBody>(options) ?? throw new JsonException("The patch removes the whole resource.", "$", null, null);
    }

    /// <summary>RFC 7396 section 2: members of an object patch replace or (when null) remove; anything else replaces the target.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject members)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject current ? (JsonObject)current.DeepClone() : [];
        foreach (var (name, value) in members)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = Apply(result[name], value);
            }
        }

        return result;
    }
}
