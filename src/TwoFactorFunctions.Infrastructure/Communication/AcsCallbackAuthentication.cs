using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace TwoFactorFunctions.Infrastructure.Communication;

/// <summary>The keys Call Automation signs its callback JWTs with.</summary>
public interface IAcsSigningKeys
{
    /// <summary>The current keys; <paramref name="refresh"/> asks for a re-fetch after a token named an unknown key (rotation).</summary>
    Task<IReadOnlyCollection<SecurityKey>> GetAsync(bool refresh, CancellationToken cancellationToken);
}

/// <summary>Keys from the ACS OpenID configuration document and its JWKS, cached and refreshed by IdentityModel.</summary>
public sealed class OpenIdAcsSigningKeys : IAcsSigningKeys
{
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _configuration;

    public OpenIdAcsSigningKeys(AcsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var uri = options.OpenIdConfigurationUri;
        _configuration = new ConfigurationManager<OpenIdConnectConfiguration>(uri.AbsoluteUri, new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever { RequireHttps = !uri.IsLoopback });
    }

    public async Task<IReadOnlyCollection<SecurityKey>> GetAsync(bool refresh, CancellationToken cancellationToken)
    {
        if (refresh)
        {
            _configuration.RequestRefresh();
        }

        var configuration = await _configuration.GetConfigurationAsync(cancellationToken);
        return configuration.SigningKeys.ToList();
    }
}

/// <summary>
/// Checks the JWT Call Automation puts on every callback (Authorization: Bearer): RS256 signature by a published ACS
/// key, issuer, audience = our resource's immutable id, and a current lifetime (ACS issues 5-minute tokens).
/// The callback endpoint cannot use a function key (ACS cannot send one), so this is its only gate.
/// </summary>
public sealed partial class AcsCallbackAuthenticator(IAcsSigningKeys keys, AcsOptions options, TimeProvider time,
    ILogger<AcsCallbackAuthenticator> logger)
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);
    private readonly JsonWebTokenHandler _handler = new();

    public async Task<bool> IsValidAsync(string? authorization, CancellationToken cancellationToken)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            LogRejected(logger, "NoBearerToken");
            return false;
        }

        var token = authorization[scheme.Length..].Trim();
        var result = await _handler.ValidateTokenAsync(token, Parameters(await keys.GetAsync(refresh: false, cancellationToken)));
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // A key we have not seen: ACS may have rotated. Fetch once more before refusing.
            result = await _handler.ValidateTokenAsync(token, Parameters(await keys.GetAsync(refresh: true, cancellationToken)));
        }

        if (!result.IsValid)
        {
            LogRejected(logger, result.Exception?.GetType().Name ?? "Invalid");
        }

        return result.IsValid;
    }

    private TokenValidationParameters Parameters(IReadOnlyCollection<SecurityKey> signingKeys) => new()
    {
        ValidIssuer = options.CallbackIssuer,
        ValidAudience = options.ImmutableResourceId,
        IssuerSigningKeys = signingKeys,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateIssuerSigningKey = true,
        ValidateLifetime = true,

        // Our clock, not the machine's, so tests can move time and every check agrees on "now".
        LifetimeValidator = (notBefore, expires, _, _) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            return expires is { } exp && now < exp.ToUniversalTime() + ClockSkew
                && (notBefore is not { } nbf || now >= nbf.ToUniversalTime() - ClockSkew);
        },
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "ACS callback refused: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);
}
