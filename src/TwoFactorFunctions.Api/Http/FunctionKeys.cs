using System.Security.Cryptography;
using System.Text;
using TwoFactorFunctions.Core.Common;

namespace TwoFactorFunctions.Api.Http;

/// <summary>One caller key. Only its SHA-256 is configured, so a leaked configuration does not leak the key.</summary>
public sealed class FunctionKey
{
    public string Name { get; set; } = "";

    /// <summary>Base64 SHA-256 of the key: <c>printf %s "$KEY" | sha256sum | xxd -r -p | base64</c>.</summary>
    public string Sha256 { get; set; } = "";

    /// <summary>Tenants this key may act on; empty means every tenant (a portal serving all of its companies).</summary>
    public List<string> Tenants { get; set; } = [];
}

public sealed class FunctionKeyOptions
{
    public List<FunctionKey> Keys { get; set; } = [];

    public IEnumerable<string> Validate()
    {
        if (Keys.Count == 0)
        {
            yield return "FunctionKeys:Keys must hold at least one key hash: every endpoint but health needs a key.";
        }

        foreach (var key in Keys)
        {
            byte[]? hash = null;
            try
            {
                hash = Convert.FromBase64String(key.Sha256);
            }
            catch (FormatException)
            {
            }

            if (hash is not { Length: 32 })
            {
                yield return $"FunctionKeys: key '{key.Name}' needs Sha256 = base64 of a 32-byte SHA-256 hash.";
            }
        }
    }
}

/// <summary>
/// Checks the function key the way Azure Functions accepts it (<c>x-functions-key</c> header or <c>code</c> query
/// parameter) and that the key may act on the tenant in the route. The HTTP functions are anonymous at the Functions
/// host, because a host key cannot be limited to a tenant: this check is the one both hosts rely on.
/// </summary>
public sealed class FunctionKeyMiddleware(RequestDelegate next, FunctionKeyOptions options)
{
    public const string HeaderName = "x-functions-key";

    private readonly (byte[] Hash, FunctionKey Key)[] _keys =
        options.Keys.Select(k => (Convert.FromBase64String(k.Sha256), k)).ToArray();

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null || endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null)
        {
            await next(context);
            return;
        }

        var presented = context.Request.Headers[HeaderName].FirstOrDefault() ?? context.Request.Query["code"].FirstOrDefault();
        var key = presented is null ? null : Match(presented);
        if (key is null)
        {
            await WriteAsync(context, ErrorKind.Unauthorized, "invalid_function_key",
                $"A valid function key is required in the {HeaderName} header or the code query parameter.");
            return;
        }

        if (key.Tenants.Count > 0 && context.GetRouteValue("tenantId") is string tenantId
            && !key.Tenants.Contains(tenantId, StringComparer.Ordinal))
        {
            await WriteAsync(context, ErrorKind.Forbidden, "tenant_forbidden", "This key may not act on this tenant.");
            return;
        }

        await next(context);
    }

    private FunctionKey? Match(string presented)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        FunctionKey? found = null;

        // Every configured hash is compared, in constant time, so timing reveals neither which key nor how close.
        foreach (var (candidate, key) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(candidate, hash))
            {
                found = key;
            }
        }

        return found;
    }

    private static async Task WriteAsync(HttpContext context, ErrorKind kind, string code, string detail)
    {
        var result = ApiProblem.Create(kind, code, detail, context);
        await result.ExecuteAsync(context);
    }
}
