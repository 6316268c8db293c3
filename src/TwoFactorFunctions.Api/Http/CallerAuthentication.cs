using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Common;

namespace TwoFactorFunctions.Api.Http;

/// <summary>
/// Who is calling, decided once per request in both hosts (the HTTP functions are anonymous at the Functions host,
/// because a host key cannot be limited to a tenant). Three kinds of caller, checked in this order:
/// <list type="number">
/// <item>A signed-in user's browser, with an access token (<c>Authorization: Bearer</c>) on endpoints that accept one:
/// the token's tenant must be the route's, and the token's user becomes the actor. A browser cannot name another actor.</item>
/// <item>A browser in the middle of a sign-in, with the challenge's token (<c>X-Challenge-Token</c>), on that challenge's
/// own follow-up endpoints only.</item>
/// <item>A server, with a function key (<c>x-functions-key</c> or <c>?code=</c>), limited to the key's tenants (a key
/// limited to some tenants is refused on routes without <c>{tenantId}</c>); only a key-authenticated caller may say
/// who the actor is (<c>X-Actor-Id</c>).</item>
/// </list>
/// </summary>
public sealed class CallerAuthentication(RequestDelegate next, FunctionKeyVerifier keys, BrowserAccessOptions browser)
{
    public async Task InvokeAsync(HttpContext context, ChallengeService challenges)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null || endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null)
        {
            await next(context);
            return;
        }

        var tenantId = context.GetRouteValue("tenantId") as string;
        var error = context.Request.Headers.Authorization.FirstOrDefault() is { } authorization
                    && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? await AccessTokenAsync(context, endpoint, tenantId, challenges)
            : context.Request.Headers[BrowserAccessEndpoints.ChallengeTokenHeader].FirstOrDefault() is { } challengeToken
                ? await ChallengeTokenAsync(context, endpoint, tenantId, challengeToken, challenges)
                : FunctionKey(context, tenantId);

        if (error is not null)
        {
            await ApiProblem.From(error, context).ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private async Task<DomainError?> AccessTokenAsync(HttpContext context, Endpoint endpoint, string? tenantId, ChallengeService challenges)
    {
        if (endpoint.Metadata.GetMetadata<AcceptsAccessToken>() is null)
        {
            return new DomainError(ErrorKind.Forbidden, "access_token_not_accepted", "This endpoint is for the portal's server, with its function key.");
        }

        if (browser.Authority is null)
        {
            return new DomainError(ErrorKind.Unauthorized, "invalid_access_token", "This deployment does not accept access tokens.");
        }

        // The standard handler: signature against the issuer's published keys, issuer, audience, lifetime.
        var result = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        var user = result.Principal?.FindFirst(browser.UserClaim)?.Value;
        var tenant = result.Principal?.FindFirst(browser.TenantClaim)?.Value;
        if (!result.Succeeded || !Ids.IsValid(user) || !Ids.IsValid(tenant))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return new DomainError(ErrorKind.Unauthorized, "invalid_access_token", "The access token is missing, expired or not issued for this API.");
        }

        if (tenantId != tenant)
        {
            return new DomainError(ErrorKind.Forbidden, "tenant_forbidden", "The access token is for another company.");
        }

        if (context.GetRouteValue("challengeId") is string challengeId
            && await challenges.AuthorizeOwnerAsync(tenant!, challengeId, user!, context.RequestAborted) is { } notOwner)
        {
            return notOwner;
        }

        // The token's user is the actor; whatever X-Actor-Id the browser sent is replaced, never trusted.
        context.User = result.Principal!;
        context.Request.Headers[DevicesApi.ActorHeader] = user;
        return null;
    }

    private static async Task<DomainError?> ChallengeTokenAsync(HttpContext context, Endpoint endpoint, string? tenantId, string token,
        ChallengeService challenges)
    {
        if (endpoint.Metadata.GetMetadata<AcceptsChallengeToken>() is null || context.GetRouteValue("challengeId") is not string challengeId)
        {
            return new DomainError(ErrorKind.Forbidden, "challenge_token_not_accepted", "A challenge token only follows up its own challenge.");
        }

        context.Request.Headers.Remove(DevicesApi.ActorHeader);
        return await challenges.AuthorizeBrowserTokenAsync(tenantId ?? "", challengeId, token, context.RequestAborted);
    }

    private DomainError? FunctionKey(HttpContext context, string? tenantId)
    {
        var presented = FunctionKeyVerifier.Presented(context);
        var key = presented is null ? null : keys.Match(presented);
        if (key is null)
        {
            return new DomainError(ErrorKind.Unauthorized, "invalid_function_key",
                $"A valid function key is required in the {FunctionKeyVerifier.HeaderName} header or the code query parameter.");
        }

        if (key.Tenants.Count == 0)
        {
            return null;
        }

        // A key limited to some tenants is refused wherever the route names no tenant: such a route can only be checked
        // against "every tenant", which this key is not (the dev outbox was readable for any tenant this way). Routes
        // that must stay open (health, OpenAPI, ACS callbacks) are anonymous and never reach this check.
        return tenantId is null
            ? new DomainError(ErrorKind.Forbidden, "tenant_forbidden", "This key is limited to some tenants; this endpoint is not under one.")
            : !key.Tenants.Contains(tenantId, StringComparer.Ordinal)
                ? new DomainError(ErrorKind.Forbidden, "tenant_forbidden", "This key may not act on this tenant.")
                : null;
    }
}
