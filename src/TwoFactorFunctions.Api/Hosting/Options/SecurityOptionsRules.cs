using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Security;

namespace TwoFactorFunctions.Api.Hosting.Options;

public sealed class TwoFactorOptionsRules : OptionsRules<TwoFactorOptions>
{
    private const string Section = TwoFactorOptions.Section;

    public override IEnumerable<string> Check(TwoFactorOptions options)
    {
        if (options.TotpPreviousEncryptionKeys.Count > 0 && !options.TotpConfigured)
        {
            yield return $"{Section}:TotpPreviousEncryptionKeys needs a current {Section}:TotpEncryptionKey.";
        }

        if (options.MaxSendsPerNumberPerDay < options.MaxSendsPerNumberPer10Minutes)
        {
            yield return $"{Section}:MaxSendsPerNumberPerDay must be at least {Section}:MaxSendsPerNumberPer10Minutes.";
        }
    }
}

public sealed class FunctionKeyOptionsRules : OptionsRules<FunctionKeyOptions>
{
    public override IEnumerable<string> Check(FunctionKeyOptions options)
    {
        // Exactly 32 bytes, and the message names the key: an attribute could state neither.
        foreach (var key in options.Keys)
        {
            if (Base64KeyAttribute.DecodedLength(key.Sha256) != 32)
            {
                yield return $"{FunctionKeyOptions.Section}: key '{key.Name}' needs Sha256 = base64 of a 32-byte SHA-256 hash.";
            }
        }
    }
}

/// <summary>Token and CORS settings; plain http is for the local issuer and the demo portal in Development only.</summary>
public sealed class BrowserAccessOptionsRules(IHostEnvironment environment) : OptionsRules<BrowserAccessOptions>
{
    private const string Section = BrowserAccessOptions.Section;

    public override IEnumerable<string> Check(BrowserAccessOptions options)
    {
        var isDevelopment = environment.IsDevelopment();
        if (options.Authority is not null && string.IsNullOrWhiteSpace(options.Audience))
        {
            yield return $"{Section}:Audience is required with {Section}:Authority.";
        }

        if (options.Authority is { Scheme: "http" } && (options.RequireHttpsMetadata || !isDevelopment))
        {
            yield return $"{Section}:Authority must be https outside Development (RequireHttpsMetadata=false is for the local issuer).";
        }

        foreach (var origin in options.AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
                || uri.AbsolutePath != "/" || origin.EndsWith('/') || origin.Contains('*', StringComparison.Ordinal))
            {
                yield return $"{Section}:AllowedOrigins: '{origin}' must be an origin such as https://portal.example.com (no path, no wildcard).";
            }
            else if (uri.Scheme == "http" && !isDevelopment)
            {
                yield return $"{Section}:AllowedOrigins: '{origin}' must be https outside Development.";
            }
        }
    }
}
