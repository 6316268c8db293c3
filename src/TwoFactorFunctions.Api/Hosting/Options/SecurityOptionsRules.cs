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

/// <summary>
/// The passkey relying party: an RP ID browsers accept (a host name, not an IP), and origins under it — https outside
/// Development, where http://localhost is what a developer's browser treats as secure.
/// </summary>
public sealed class PasskeyOptionsRules(IHostEnvironment environment) : OptionsRules<Infrastructure.WebAuthn.PasskeyOptions>
{
    private const string Section = Infrastructure.WebAuthn.PasskeyOptions.Section;

    public override IEnumerable<string> Check(Infrastructure.WebAuthn.PasskeyOptions options)
    {
        if (!options.Configured)
        {
            if (options.Origins.Count > 0)
            {
                yield return $"{Section}:Origins needs {Section}:RelyingPartyId.";
            }

            yield break;
        }

        var rpId = options.RelyingPartyId!;
        if (Uri.CheckHostName(rpId) != UriHostNameType.Dns || rpId.Any(char.IsUpper))
        {
            yield return $"{Section}:RelyingPartyId '{rpId}' must be a lower-case host name such as portal.example.com (browsers refuse an IP address).";
            yield break;
        }

        if (string.IsNullOrWhiteSpace(options.RelyingPartyName))
        {
            yield return $"{Section}:RelyingPartyName is required: the browser's dialog shows it.";
        }

        if (options.Origins.Count == 0)
        {
            yield return $"{Section}:Origins must list the portal's origin(s), such as https://{rpId}.";
        }

        foreach (var origin in options.Origins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
                || uri.AbsolutePath != "/" || origin.EndsWith('/') || origin.Contains('*', StringComparison.Ordinal))
            {
                yield return $"{Section}:Origins: '{origin}' must be an origin such as https://{rpId} (no path, no wildcard).";
            }
            else if (uri.Scheme == "http" && !environment.IsDevelopment())
            {
                yield return $"{Section}:Origins: '{origin}' must be https outside Development.";
            }

            // An origin outside the RP ID's domain is allowed: browsers accept it when https://{rpId}/.well-known/webauthn
            // lists it (Related Origin Requests, see the README); without that file they refuse, so nothing is weakened.
        }
    }
}
