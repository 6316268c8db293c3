namespace TwoFactorFunctions.Api.Http;

/// <summary>
/// How browsers call the API (<c>BrowserAccess</c> section): with an access token from the portal's OpenID Connect
/// identity provider (Entra ID in Azure), validated against the issuer's published metadata and keys; and from which
/// web origins (CORS).
/// </summary>
public sealed class BrowserAccessOptions
{
    public const string Section = "BrowserAccess";

    /// <summary>The issuer (OpenID Connect authority). Unset: access tokens are not accepted, only function keys.</summary>
    public Uri? Authority { get; set; }

    /// <summary>The audience the tokens are issued for (this API's application id URI or client id).</summary>
    public string? Audience { get; set; }

    /// <summary>The claim that names the user's company. Entra ID's own tenant id (<c>tid</c>) is the directory, not the company, so the portal's claim is configured.</summary>
    public string TenantClaim { get; set; } = "tenant_id";

    /// <summary>The claim that names the user (the directory's user id).</summary>
    public string UserClaim { get; set; } = "sub";

    /// <summary>Metadata over plain HTTP: only for the local issuer in Development.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Web origins allowed to call the API from a browser (exact scheme, host and port; no wildcard).</summary>
    public List<string> AllowedOrigins { get; set; } = [];
}

/// <summary>Endpoint metadata: a signed-in user's browser may call this with an access token.</summary>
public sealed class AcceptsAccessToken;

/// <summary>Endpoint metadata: a browser in the middle of a sign-in may call this with the challenge's token.</summary>
public sealed class AcceptsChallengeToken;

public static class BrowserAccessEndpoints
{
    public const string ChallengeTokenHeader = "X-Challenge-Token";

    public static TBuilder AcceptsAccessTokens<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new AcceptsAccessToken());

    public static TBuilder AcceptsChallengeTokens<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new AcceptsChallengeToken());
}
