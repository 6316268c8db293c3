using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TwoFactorFunctions.Api.Http;

namespace TwoFactorFunctions.App.DemoPortal;

/// <summary>
/// Development only: the demo portal's identity provider, a minimal OpenID Connect issuer at <c>/dev/oidc</c> that
/// publishes its discovery document and signing keys. The API validates its tokens exactly as it validates Entra ID's:
/// through the JWT bearer handler, fetching this metadata and checking every signature. The key lives in memory, so
/// tokens die with the process.
/// </summary>
public sealed class DevIdentityProvider(BrowserAccessOptions options, TimeProvider time) : IDisposable
{
    public const string BasePath = "/dev/oidc";

    private static readonly string[] ResponseTypes = ["token"];
    private static readonly string[] SubjectTypes = ["public"];
    private static readonly string[] SigningAlgorithms = [SecurityAlgorithms.RsaSha256];

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly string _keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    private RsaSecurityKey Key => new(_rsa) { KeyId = _keyId };

    private string Issuer => options.Authority?.ToString().TrimEnd('/')
        ?? throw new InvalidOperationException("BrowserAccess:Authority must name this issuer for the demo portal.");

    /// <summary>An access token for a user the demo portal has signed in (password and, when asked, the second factor).</summary>
    public string IssueAccessToken(string tenantId, string userId, string displayName)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = options.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = userId,
                [options.TenantClaim] = tenantId,
                ["name"] = displayName,
            },
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.RsaSha256),
        });
    }

    public static RouteGroupBuilder Map(IEndpointRouteBuilder app)
    {
        var oidc = app.MapGroup(BasePath).AllowAnonymous().ExcludeFromDescription();
        oidc.MapGet("/.well-known/openid-configuration", (DevIdentityProvider idp) => TypedResults.Json(new Dictionary<string, object>
        {
            ["issuer"] = idp.Issuer,
            ["jwks_uri"] = idp.Issuer + "/jwks",
            ["response_types_supported"] = ResponseTypes,
            ["subject_types_supported"] = SubjectTypes,
            ["id_token_signing_alg_values_supported"] = SigningAlgorithms,
        }));
        oidc.MapGet("/jwks", (DevIdentityProvider idp) =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(idp.Key);
            return TypedResults.Json(new { keys = new[] { new { kty = jwk.Kty, use = "sig", alg = SecurityAlgorithms.RsaSha256, kid = jwk.Kid, n = jwk.N, e = jwk.E } } });
        });
        return oidc;
    }

    public void Dispose() => _rsa.Dispose();
}
