using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;

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
    public const string Section = "FunctionKeys";

    [MinLength(1, ErrorMessage = Section + ":Keys must hold at least one key hash: every endpoint but health needs a key.")]
    public List<FunctionKey> Keys { get; set; } = [];
}

/// <summary>Matches a presented function key against the configured hashes.</summary>
public sealed class FunctionKeyVerifier(FunctionKeyOptions options)
{
    public const string HeaderName = "x-functions-key";

    private readonly (byte[] Hash, FunctionKey Key)[] _keys =
        options.Keys.Select(k => (Convert.FromBase64String(k.Sha256), k)).ToArray();

    public static string? Presented(HttpContext context) =>
        context.Request.Headers[HeaderName].FirstOrDefault() ?? context.Request.Query["code"].FirstOrDefault();

    public FunctionKey? Match(string presented)
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
}
