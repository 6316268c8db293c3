using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TwoFactorFunctions.App.DemoPortal;
using TwoFactorFunctions.FunctionalTests.Infrastructure;
using TwoFactorFunctions.FunctionalTests.Support;

namespace TwoFactorFunctions.FunctionalTests.Browser;

/// <summary>
/// What a browser may do without a function key, over real HTTP: follow up its own sign-in challenge with the
/// challenge's token, then act as the signed-in user with the identity provider's access token, and nothing more.
/// </summary>
[Collection(ServicesGroup.Name)]
public sealed class BrowserAccessTests(TestServices services) : IAsyncLifetime
{
    private PortalApp _app = null!;

    public async Task InitializeAsync() => _app = await PortalApp.StartAsync(services);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task SignIn_ChallengeTokenThenAccessToken_BrowserResendsVerifiesAndActsOnlyAsItself()
    {
        var user = await _app.UserAsync("user002");
        var mailBefore = await _app.MailCountAsync(user.Email!);
        using var portal = _app.Portal();
        using var browser = _app.Browser();

        var signIn = await PortalApp.JsonAsync(await PortalApp.PostJsonAsync(portal, "/demo/api/sign-in", new { userId = "user002", password = PortalApp.Password }));
        Assert.False(signIn.GetProperty("signedIn").GetBoolean());
        var challengeId = signIn.GetProperty("challenge").GetProperty("challengeId").GetString()!;
        var token = signIn.GetProperty("challengeToken").GetString()!;
        SecretScan.Saw(token);
        var challengePath = $"/api/tenants/{PortalApp.TenantId}/challenges/{challengeId}";
        var header = ("X-Challenge-Token", token);

        // The token follows up this challenge only, and only while it is open.
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(Get(challengePath, header))).StatusCode);
        await PortalApi.AssertProblemAsync(await browser.SendAsync(Get($"/api/tenants/{PortalApp.TenantId}/users/user002/devices", header)),
            HttpStatusCode.Forbidden, "challenge_token_not_accepted");
        await PortalApi.AssertProblemAsync(await browser.SendAsync(Get(challengePath, ("X-Challenge-Token", token[..^2] + "AA"))),
            HttpStatusCode.Unauthorized, "invalid_challenge_token");
        await PortalApi.AssertProblemAsync(await browser.SendAsync(Get(challengePath)), HttpStatusCode.Unauthorized, "invalid_function_key");

        var code = await _app.ReadCodeAsync(user.Email!, mailBefore + 1);
        using var verified = await PortalApp.PostJsonAsync(browser, challengePath + "/verify", new { code, rememberDevice = false }, header);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        await PortalApi.AssertProblemAsync(await PortalApp.PostJsonAsync(browser, challengePath + "/send", new { }, header),
            HttpStatusCode.Unauthorized, "challenge_token_expired");

        // One session per verified sign-in.
        var session = await PortalApp.JsonAsync(await PortalApp.PostJsonAsync(portal, "/demo/api/session", new { challengeId, challengeToken = token }));
        await PortalApi.AssertProblemAsync(await PortalApp.PostJsonAsync(portal, "/demo/api/session", new { challengeId, challengeToken = token }),
            HttpStatusCode.Unauthorized, "sign_in_not_verified");
        var accessToken = session.GetProperty("accessToken").GetString()!;
        SecretScan.Saw(accessToken);
        var bearer = ("Authorization", "Bearer " + accessToken);

        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(Get($"/api/tenants/{PortalApp.TenantId}/users/user002/two-factor", bearer))).StatusCode);

        // X-Actor-Id from a browser is ignored: naming the admin does not make this user one.
        await PortalApi.AssertProblemAsync(
            await browser.SendAsync(Get($"/api/tenants/{PortalApp.TenantId}/two-factor", bearer, ("X-Actor-Id", "admin"))),
            HttpStatusCode.Forbidden, "admin_required");
        await PortalApi.AssertProblemAsync(await browser.SendAsync(Get($"/api/tenants/{PortalApp.TenantId}/users/user003/devices", bearer)),
            HttpStatusCode.Forbidden, "actor_forbidden");

        // Server-only endpoints refuse access tokens: creating challenges and the directory stay with the portal's server.
        await PortalApi.AssertProblemAsync(
            await PortalApp.PostJsonAsync(browser, $"/api/tenants/{PortalApp.TenantId}/challenges", new { userId = "user003" }, bearer),
            HttpStatusCode.Forbidden, "access_token_not_accepted");
    }

    [Fact]
    public async Task Admin_WithAccessToken_EnablesTwoFactorAndReadsTheRunItStarted()
    {
        await _app.SetTenantAsync(t => t with { TwoFactorEnabled = false });
        using var portal = _app.Portal();
        using var browser = _app.Browser();
        var signIn = await PortalApp.JsonAsync(await PortalApp.PostJsonAsync(portal, "/demo/api/sign-in", new { userId = "admin", password = PortalApp.Password }));
        Assert.True(signIn.GetProperty("signedIn").GetBoolean());
        var bearer = ("Authorization", "Bearer " + signIn.GetProperty("accessToken").GetString());

        using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/tenants/{PortalApp.TenantId}/two-factor")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { enabled = true, mode = "RequiredForAll", channel = "Email" }),
        };
        put.Headers.TryAddWithoutValidation(bearer.Item1, bearer.Item2);
        using var started = await browser.SendAsync(put);
        var body = await started.Content.ReadAsStringAsync();
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, $"{(int)started.StatusCode}: {body}");
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(Get(started.Headers.Location!.OriginalString, bearer))).StatusCode);
    }

    [Fact]
    public async Task AccessToken_OtherTenantForgedOrMalformed_Refused()
    {
        var idp = _app.AppServices.GetRequiredService<DevIdentityProvider>();
        using var browser = _app.Browser();
        var path = $"/api/tenants/{PortalApp.TenantId}/users/user002/two-factor";

        var otherTenant = idp.IssueAccessToken("other-company", "user002", "Someone");
        await PortalApi.AssertProblemAsync(await browser.SendAsync(Get(path, ("Authorization", "Bearer " + otherTenant))),
            HttpStatusCode.Forbidden, "tenant_forbidden");

        // Same claims, same issuer name, signed with a key the issuer never published.
        using var rsa = RSA.Create(2048);
        var forged = Token(_app.ApiOrigin + "/dev/oidc", new RsaSecurityKey(rsa) { KeyId = "forged" });
        using var refused = await browser.SendAsync(Get(path, ("Authorization", "Bearer " + forged)));
        await PortalApi.AssertProblemAsync(refused, HttpStatusCode.Unauthorized, "invalid_access_token");
        Assert.Contains("invalid_token", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        await PortalApi.AssertProblemAsync(await browser.SendAsync(Get(path, ("Authorization", "Bearer not.a.jwt"))),
            HttpStatusCode.Unauthorized, "invalid_access_token");
    }

    [Fact]
    public async Task Cors_AllowedAndUnknownOrigins_OnlyTheConfiguredPortalGetsAccessAndNeverWithCredentials()
    {
        using var browser = _app.Browser();

        using var allowed = await browser.SendAsync(Preflight(_app.PageOrigin));
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal(_app.PageOrigin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("x-challenge-token", allowed.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
        Assert.False(allowed.Headers.Contains("Access-Control-Allow-Credentials"));

        using var unknown = await browser.SendAsync(Preflight("https://evil.example"));
        Assert.False(unknown.Headers.Contains("Access-Control-Allow-Origin"));

        // A real request from an unknown origin is not answered with a grant either (the browser then hides the answer).
        using var request = Get($"/api/tenants/{PortalApp.TenantId}/challenges/x", ("Origin", "https://evil.example"));
        using var answered = await browser.SendAsync(request);
        Assert.False(answered.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task DemoPages_ModuleScriptsServedAsJavaScriptUnderTheContentSecurityPolicy()
    {
        using var portal = _app.Portal();

        // A module script runs only when served with a JavaScript MIME type, and only from where the policy allows.
        using var page = await portal.GetAsync("/demo/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.StartsWith("default-src 'self';", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("<script type=\"module\" src=\"main.js\"></script>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        foreach (var module in new[] { "main.js", "api.js", "code-dialog.js", "screens/account.js" })
        {
            using var script = await portal.GetAsync("/demo/" + module);
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
            Assert.Equal("nosniff", script.Headers.GetValues("X-Content-Type-Options").Single());
        }
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, $"/api/tenants/{PortalApp.TenantId}/challenges/abc/verify");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,x-challenge-token");
        return request;
    }

    private static string Token(string issuer, SecurityKey key) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = issuer,
        Audience = PortalApp.Audience,
        Expires = DateTime.UtcNow.AddMinutes(30),
        Claims = new Dictionary<string, object> { ["sub"] = "user002", ["tenant_id"] = PortalApp.TenantId },
        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
    });

    private static HttpRequestMessage Get(string path, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }
}
