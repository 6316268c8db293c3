using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Storage;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using TwoFactorFunctions.FunctionalTests.Infrastructure;
using TwoFactorFunctions.FunctionalTests.Support;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.FunctionalTests.SignIn;

/// <summary>The sign-in loop end to end: real Azurite, real SMTP into MailDev, codes read from the delivered emails.</summary>
[Collection(ServicesGroup.Name)]
public sealed class SignInChallengeTests(TestServices services) : IAsyncLifetime, IDisposable
{
    private readonly TwoFactorAppFactory _app = new(services, "tffsignin");
    private PortalApi _portal = null!;
    private string _tenant = "";

    public async Task InitializeAsync()
    {
        _portal = new PortalApi(_app);
        _tenant = PortalApi.NewTenantId();
        await _portal.CreateTenantAsync(_tenant);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Verify_CodeReadFromRealEmail_Succeeds()
    {
        var email = await _portal.CreateUserAsync(_tenant, "mary");

        var created = await _portal.CreateChallengeAsync(_tenant, "mary");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var challenge = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("challenge");
        Assert.Equal("Email", challenge.GetProperty("channel").GetString());
        var masked = challenge.GetProperty("maskedDestination").GetString()!;
        Assert.StartsWith("m...", masked, StringComparison.Ordinal);
        Assert.EndsWith("@example.test", masked, StringComparison.Ordinal);
        Assert.DoesNotContain(email, await created.Content.ReadAsStringAsync());

        var code = await _portal.ReadCodeAsync(email);
        var verified = await _portal.VerifyAsync(_tenant, challenge.GetProperty("challengeId").GetString()!, code);

        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        var body = await verified.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("verified").GetBoolean());
        Assert.Equal("Verified", body.GetProperty("challenge").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Verify_SameCodeTwice_SecondIsAlreadyUsed()
    {
        var email = await _portal.CreateUserAsync(_tenant, "u1");
        var id = await _portal.CreateChallengeIdAsync(_tenant, "u1");
        var code = await _portal.ReadCodeAsync(email);

        Assert.Equal(HttpStatusCode.OK, (await _portal.VerifyAsync(_tenant, id, code)).StatusCode);
        await PortalApi.AssertProblemAsync(await _portal.VerifyAsync(_tenant, id, code), HttpStatusCode.Conflict, "challenge_already_used");
    }

    [Fact]
    public async Task Verify_AfterCodeLifetime_Expired()
    {
        var email = await _portal.CreateUserAsync(_tenant, "u1");
        var id = await _portal.CreateChallengeIdAsync(_tenant, "u1");
        var code = await _portal.ReadCodeAsync(email);

        _app.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        await PortalApi.AssertProblemAsync(await _portal.VerifyAsync(_tenant, id, code), HttpStatusCode.Gone, "challenge_expired");
    }

    [Fact]
    public async Task Verify_JustBeforeTenantCodeLifetime_Succeeds()
    {
        await _portal.SetPolicyAsync(_tenant, t => t with { CodeLifetimeMinutes = 2 });
        var email = await _portal.CreateUserAsync(_tenant, "u1");
        var id = await _portal.CreateChallengeIdAsync(_tenant, "u1");
        var code = await _portal.ReadCodeAsync(email);

        _app.Time.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.OK, (await _portal.VerifyAsync(_tenant, id, code)).StatusCode);
    }

    [Fact]
    public async Task Resend_AfterCooldown_OldCodeStopsWorkingNewCodeWorks()
    {
        var email = await _portal.CreateUserAsync(_tenant, "u1");
        var id = await _portal.CreateChallengeIdAsync(_tenant, "u1");
        var oldCode = await _portal.ReadCodeAsync(email);

        await PortalApi.AssertProblemAsync(await _portal.ResendAsync(_tenant, id), HttpStatusCode.TooManyRequests, "resend_too_soon");
        _app.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(HttpStatusCode.OK, (await _portal.ResendAsync(_tenant, id)).StatusCode);
        var newCode = await _portal.ReadCodeAsync(email, nth: 2);

        if (oldCode != newCode)
        {
            await PortalApi.AssertProblemAsync(await _portal.VerifyAsync(_tenant, id, oldCode), HttpStatusCode.BadRequest, "invalid_code");
        }

        Assert.Equal(HttpStatusCode.OK, (await _portal.VerifyAsync(_tenant, id, newCode)).StatusCode);
    }

    [Fact]
    public async Task Resend_MoreThanThreeTimes_Refused()
    {
        await _portal.CreateUserAsync(_tenant, "u1");
        var id = await _portal.CreateChallengeIdAsync(_tenant, "u1");

        for (var i = 0; i < 3; i++)
        {
            _app.Time.Advance(TimeSpan.FromSeconds(31));
            Assert.Equal(HttpStatusCode.OK, (await _portal.ResendAsync(_tenant, id)).StatusCode);
        }

        _app.Time.Advance(TimeSpan.FromSeconds(31));
        await PortalApi.AssertProblemAsync(await _portal.ResendAsync(_tenant, id), HttpStatusCode.TooManyRequests, "resend_limit_reached");
    }

    [Fact]
    public async Task ManualSend_NoCodeUntilSendThenVerifies()
    {
        var email = await _portal.CreateUserAsync(_tenant, "u1");
        var created = await _portal.CreateChallengeAsync(_tenant, "u1", send: "manual");
        var challenge = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("challenge");
        var id = challenge.GetProperty("challengeId").GetString()!;
        Assert.False(challenge.GetProperty("codeSent").GetBoolean());
        await PortalApi.AssertProblemAsync(await _portal.VerifyAsync(_tenant, id, "123456"), HttpStatusCode.Conflict, "code_not_sent");
        Assert.Equal(0, await _app.Infra.Mail.CountEmailsToAsync(email));

        Assert.Equal(HttpStatusCode.OK, (await _portal.ResendAsync(_tenant, id)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await _portal.VerifyAsync(_tenant, id, await _portal.ReadCodeAsync(email))).StatusCode);
    }

    [Fact]
    public async Task Verify_FiveWrongCodes_EndsChallengeEvenForRightCode()
    {
        var email = await _portal.CreateUserAsync(_tenant, "u1");
        var id = await _portal.CreateChallengeIdAsync(_tenant, "u1");
        var code = await _portal.ReadCodeAsync(email);
        var wrong = WrongCode(code);

        for (var i = 1; i <= 5; i++)
        {
            var response = await _portal.VerifyAsync(_tenant, id, wrong);
            await PortalApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_code");
        }

        var last = await _portal.VerifyAsync(_tenant, id, code);
        await PortalApi.AssertProblemAsync(last, HttpStatusCode.Gone, "challenge_failed");
    }

    [Fact]
    public async Task Verify_WrongCode_ReportsTriesLeft()
    {
        var email = await _portal.CreateUserAsync(_tenant, "u1");
        var id = await _portal.CreateChallengeIdAsync(_tenant, "u1");
        var wrong = WrongCode(await _portal.ReadCodeAsync(email));

        var first = await PortalApi.ProblemAsync(await _portal.VerifyAsync(_tenant, id, wrong));
        var second = await PortalApi.ProblemAsync(await _portal.VerifyAsync(_tenant, id, wrong));

        Assert.Equal(4, first.GetProperty("triesLeft").GetInt32());
        Assert.Equal(3, second.GetProperty("triesLeft").GetInt32());
    }

    [Fact]
    public async Task Verify_TenWrongCodesAcrossChallenges_LocksAccountUntilWindowPasses()
    {
        var email = await _portal.CreateUserAsync(_tenant, "u1");
        var first = await _portal.CreateChallengeIdAsync(_tenant, "u1");
        var wrong = WrongCode(await _portal.ReadCodeAsync(email));
        for (var i = 0; i < 5; i++)
        {
            await _portal.VerifyAsync(_tenant, first, wrong);
        }

        // A new challenge and a resend do not reset the account's count.
        var second = await _portal.CreateChallengeIdAsync(_tenant, "u1");
        _app.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(HttpStatusCode.OK, (await _portal.ResendAsync(_tenant, second)).StatusCode);
        var secondCode = await _portal.ReadCodeAsync(email, nth: 3);
        for (var i = 0; i < 4; i++)
        {
            await PortalApi.AssertProblemAsync(await _portal.VerifyAsync(_tenant, second, WrongCode(secondCode)), HttpStatusCode.BadRequest, "invalid_code");
        }

        var locking = await _portal.VerifyAsync(_tenant, second, WrongCode(secondCode));
        await PortalApi.AssertProblemAsync(locking, HttpStatusCode.Locked, "account_locked");
        Assert.NotNull(locking.Headers.RetryAfter);

        // Locked: even a fresh challenge is refused.
        await PortalApi.AssertProblemAsync(await _portal.CreateChallengeAsync(_tenant, "u1"), HttpStatusCode.Locked, "account_locked");

        _app.Time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        var third = await _portal.CreateChallengeIdAsync(_tenant, "u1");
        Assert.Equal(HttpStatusCode.OK, (await _portal.VerifyAsync(_tenant, third, await _portal.ReadCodeAsync(email, nth: 4))).StatusCode);
    }

    [Fact]
    public async Task CreateChallenge_ElevenInWindow_RateLimited()
    {
        await _portal.CreateUserAsync(_tenant, "u1");
        for (var i = 0; i < 10; i++)
        {
            await _portal.CreateChallengeIdAsync(_tenant, "u1");
        }

        await PortalApi.AssertProblemAsync(await _portal.CreateChallengeAsync(_tenant, "u1"), HttpStatusCode.TooManyRequests, "challenge_rate_limited");
    }

    [Fact]
    public async Task Verify_FiftyParallelWithRightCode_ExactlyOneSucceeds()
    {
        var email = await _portal.CreateUserAsync(_tenant, "u1");
        var id = await _portal.CreateChallengeIdAsync(_tenant, "u1");
        var code = await _portal.ReadCodeAsync(email);

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => _portal.VerifyAsync(_tenant, id, code, rememberDevice: true)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var devices = await _portal.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/tenants/{_tenant}/users/u1/devices") { Headers = { { "X-Actor-Id", "u1" } } });
        Assert.Single((await devices.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());
    }

    [Fact]
    public async Task Verify_FiftyParallelWrongCodes_CountsNoMoreThanTheLimit()
    {
        var email = await _portal.CreateUserAsync(_tenant, "u1");
        var id = await _portal.CreateChallengeIdAsync(_tenant, "u1");
        var wrong = WrongCode(await _portal.ReadCodeAsync(email));

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => _portal.VerifyAsync(_tenant, id, wrong)));

        var counted = 0;
        foreach (var response in responses)
        {
            var problem = await PortalApi.ProblemAsync(response);
            counted += problem.GetProperty("code").GetString() == "invalid_code" ? 1 : 0;
        }

        var challenge = await _app.Services.GetRequiredService<IChallengeStore>().GetAsync(_tenant, id, CancellationToken.None);
        var guard = await _app.Services.GetRequiredService<IAccountGuardStore>().GetAsync(_tenant, "u1", CancellationToken.None);
        Assert.Equal(5, challenge!.FailedAttempts);
        Assert.Equal(ChallengeStatus.Failed, challenge.Status);
        Assert.Equal(5, guard.FailedCount);
        Assert.Equal(5, counted);
    }

    [Fact]
    public async Task CreateChallenge_TrustedDeviceOfSameUser_NotRequired_OtherUsersTokenStillChallenged()
    {
        var email = await _portal.CreateUserAsync(_tenant, "alice");
        await _portal.CreateUserAsync(_tenant, "bob");
        var id = await _portal.CreateChallengeIdAsync(_tenant, "alice");
        var verified = await _portal.VerifyAsync(_tenant, id, await _portal.ReadCodeAsync(email), rememberDevice: true);
        var token = (await verified.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deviceToken").GetString()!;

        var alice = await (await _portal.CreateChallengeAsync(_tenant, "alice", token)).Content.ReadFromJsonAsync<JsonElement>();
        var bob = await _portal.CreateChallengeAsync(_tenant, "bob", token);
        var tampered = await _portal.CreateChallengeAsync(_tenant, "alice", token[..^2] + (token[^2] == 'A' ? "BB" : "AA"));

        Assert.False(alice.GetProperty("required").GetBoolean());
        Assert.Equal("TrustedDevice", alice.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.Created, bob.StatusCode);
        Assert.Equal(HttpStatusCode.Created, tampered.StatusCode);
    }

    [Fact]
    public async Task CreateChallenge_TrustedDeviceAfterRevokeOrTenantOff_ChallengedAgain()
    {
        var email = await _portal.CreateUserAsync(_tenant, "alice");
        var id = await _portal.CreateChallengeIdAsync(_tenant, "alice");
        var verified = await _portal.VerifyAsync(_tenant, id, await _portal.ReadCodeAsync(email), rememberDevice: true);
        var token = (await verified.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deviceToken").GetString()!;

        // Switching the tenant off and on again voids earlier trusts (the tenant's trust epoch moves).
        await _portal.SetPolicyAsync(_tenant, t => t with { TwoFactorEnabled = false, TrustEpoch = t.TrustEpoch + 1 });
        await _portal.SetPolicyAsync(_tenant, t => t with { TwoFactorEnabled = true });
        Assert.Equal(HttpStatusCode.Created, (await _portal.CreateChallengeAsync(_tenant, "alice", token)).StatusCode);

        // Revoke by the user: the device list is empty afterwards.
        var list = await _portal.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/tenants/{_tenant}/users/alice/devices") { Headers = { { "X-Actor-Id", "alice" } } });
        var deviceId = (await list.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("deviceId").GetString();
        var revoke = await _portal.Http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/tenants/{_tenant}/users/alice/devices/{deviceId}") { Headers = { { "X-Actor-Id", "alice" } } });
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
    }

    [Fact]
    public async Task CreateChallenge_NotRequiredReasons_Reported()
    {
        await _portal.CreateUserAsync(_tenant, "u1");
        var off = PortalApi.NewTenantId();
        await _portal.CreateTenantAsync(off, twoFactorOn: false);
        await _portal.CreateUserAsync(off, "u1");

        var tenantOff = await (await _portal.CreateChallengeAsync(off, "u1")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("TenantTwoFactorDisabled", tenantOff.GetProperty("reason").GetString());

        await _portal.SetPolicyAsync(_tenant, t => t with { Mode = Core.Directory.TwoFactorMode.UserOptIn });
        var notEnrolled = await (await _portal.CreateChallengeAsync(_tenant, "u1")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("UserNotEnrolled", notEnrolled.GetProperty("reason").GetString());

        await _portal.SetPolicyAsync(_tenant, t => t with { Mode = Core.Directory.TwoFactorMode.RequiredForAll, SkipFirstSignIn = true });
        await _portal.CreateUserAsync(_tenant, "newbie");
        var first = await (await _portal.CreateChallengeAsync(_tenant, "newbie")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("FirstSignIn", first.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.Created, (await _portal.CreateChallengeAsync(_tenant, "newbie")).StatusCode);
    }

    [Fact]
    public async Task Challenge_OtherTenantsKeyOrIds_CannotTouchIt()
    {
        var tenantB = _tenant;
        var emailB = await _portal.CreateUserAsync(tenantB, "victim");
        var idB = await _portal.CreateChallengeIdAsync(tenantB, "victim");
        var codeB = await _portal.ReadCodeAsync(emailB);

        var tenantA = TwoFactorAppFactory.ScopedTenant;
        await _portal.CreateTenantAsync(tenantA);
        var scoped = _app.CreateClient();
        scoped.DefaultRequestHeaders.Add("x-functions-key", TwoFactorAppFactory.ScopedKey);

        // Tenant A's key on tenant B's routes: refused before anything is read.
        await PortalApi.AssertProblemAsync(
            await scoped.PostAsJsonAsync($"/api/tenants/{tenantB}/challenges/{idB}/verify", new { code = codeB }), HttpStatusCode.Forbidden, "tenant_forbidden");
        await PortalApi.AssertProblemAsync(await scoped.GetAsync($"/api/tenants/{tenantB}/challenges/{idB}"), HttpStatusCode.Forbidden, "tenant_forbidden");

        // Tenant B's challenge id under tenant A's route: not found there, and nothing counted on it.
        await PortalApi.AssertProblemAsync(
            await scoped.PostAsJsonAsync($"/api/tenants/{tenantA}/challenges/{idB}/verify", new { code = codeB }), HttpStatusCode.NotFound, "challenge_not_found");
        await PortalApi.AssertProblemAsync(
            await scoped.PostAsJsonAsync($"/api/tenants/{tenantA}/challenges/{idB}/verify", new { code = WrongCode(codeB) }), HttpStatusCode.NotFound, "challenge_not_found");

        var state = await (await _portal.Http.GetAsync($"/api/tenants/{tenantB}/challenges/{idB}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Pending", state.GetProperty("status").GetString());
        Assert.Equal(5, state.GetProperty("attemptsRemaining").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await _portal.VerifyAsync(tenantB, idB, codeB)).StatusCode);
    }

    [Fact]
    public async Task Logs_WholeFlow_NeverContainCodeOrDeviceToken()
    {
        var email = await _portal.CreateUserAsync(_tenant, "u1");
        var id = await _portal.CreateChallengeIdAsync(_tenant, "u1");
        var code = await _portal.ReadCodeAsync(email);
        await _portal.VerifyAsync(_tenant, id, WrongCode(code));
        var verified = await _portal.VerifyAsync(_tenant, id, code, rememberDevice: true);
        var token = (await verified.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deviceToken").GetString()!;
        await _portal.CreateChallengeAsync(_tenant, "u1", token);

        Assert.NotEmpty(_app.Logs.Lines);
        Assert.Empty(_app.Logs.Containing(code));
        Assert.Empty(_app.Logs.Containing(token));
        Assert.Empty(_app.Logs.Containing(token.Split('.')[1]));
        Assert.Empty(_app.Logs.Containing(TwoFactorAppFactory.PortalKey));
    }

    [Fact]
    public async Task Api_WithoutOrWithWrongKey_Unauthorized_HealthNeedsNone()
    {
        var anonymous = _app.CreateClient();

        await PortalApi.AssertProblemAsync(await anonymous.GetAsync($"/api/tenants/{_tenant}"), HttpStatusCode.Unauthorized, "invalid_function_key");
        await PortalApi.AssertProblemAsync(await anonymous.GetAsync($"/api/tenants/{_tenant}?code=wrong"), HttpStatusCode.Unauthorized, "invalid_function_key");
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/tenants/{_tenant}?code={TwoFactorAppFactory.PortalKey}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/health")).StatusCode);
    }

    private static string WrongCode(string code) => code == "000000" ? "111111" : "000000";
}
