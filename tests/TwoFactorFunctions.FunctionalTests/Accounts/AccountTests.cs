using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.FunctionalTests.Infrastructure;
using TwoFactorFunctions.FunctionalTests.Support;

namespace TwoFactorFunctions.FunctionalTests.Accounts;

/// <summary>Seed B's user actions and the admin's controls, over real email.</summary>
[Collection(ServicesGroup.Name)]
public sealed class AccountTests(TestServices services) : IAsyncLifetime, IDisposable
{
    private readonly TwoFactorAppFactory _app = new(services, "tffacct");
    private PortalApi _portal = null!;
    private string _tenant = "";

    public async Task InitializeAsync()
    {
        _portal = new PortalApi(_app);
        _tenant = PortalApi.NewTenantId("acct");
        await _portal.CreateTenantAsync(_tenant);
        await _portal.SetPolicyAsync(_tenant, t => t with { Mode = TwoFactorMode.UserOptIn });
        await _portal.CreateUserAsync(_tenant, "admin", role: "Admin");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task UpdateUserTwoFactor_OptInWithVerifiedCodeThenOptOut_ChallengesFollow()
    {
        var email = await _portal.CreateUserAsync(_tenant, "u1");
        Assert.Equal("UserNotEnrolled", (await Decision("u1")).GetProperty("reason").GetString());

        // Without proof: refused and nothing changes.
        await PortalApi.AssertProblemAsync(await Send(HttpMethod.Put, "u1", "two-factor", "u1", new { enabled = true }), HttpStatusCode.Forbidden, "verification_required");

        var proof = await ProveAsync("u1", email, nth: 1);
        var on = await Send(HttpMethod.Put, "u1", "two-factor", "u1", new { enabled = true, verifiedChallengeId = proof });
        Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        Assert.True((await on.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean());
        Assert.True((await Decision("u1")).GetProperty("required").GetBoolean());

        // The same proof cannot be spent twice.
        await PortalApi.AssertProblemAsync(await Send(HttpMethod.Put, "u1", "two-factor", "u1", new { enabled = false, verifiedChallengeId = proof }), HttpStatusCode.Forbidden, "verification_required");

        var offProof = await ProveAsync("u1", email, nth: 4);
        var off = await Send(HttpMethod.Put, "u1", "two-factor", "u1", new { enabled = false, verifiedChallengeId = offProof });
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        Assert.Equal("UserNotEnrolled", (await Decision("u1")).GetProperty("reason").GetString());
        Assert.Contains(await _app.Infra.Mail.GetEmailsToAsync(email), m => m.Subject.Contains("turned off", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UpdateUserTwoFactor_DisableInRequiredForAll_Refused()
    {
        await _portal.SetPolicyAsync(_tenant, t => t with { Mode = TwoFactorMode.RequiredForAll });
        await _portal.CreateUserAsync(_tenant, "u1");

        await PortalApi.AssertProblemAsync(await Send(HttpMethod.Put, "u1", "two-factor", "u1", new { enabled = false }), HttpStatusCode.Conflict, "two_factor_required_by_tenant");
    }

    [Fact]
    public async Task UpdateUserTwoFactor_ByAnotherUserOrAdmin_Forbidden()
    {
        await _portal.CreateUserAsync(_tenant, "u1");
        await _portal.CreateUserAsync(_tenant, "u2");

        await PortalApi.AssertProblemAsync(await Send(HttpMethod.Put, "u1", "two-factor", "u2", new { enabled = true }), HttpStatusCode.Forbidden, "actor_forbidden");
        await PortalApi.AssertProblemAsync(await Send(HttpMethod.Put, "u1", "two-factor", "admin", new { enabled = true }), HttpStatusCode.Forbidden, "actor_forbidden");
        await PortalApi.AssertProblemAsync(await Send(HttpMethod.Put, "u1", "two-factor", null, new { enabled = true }), HttpStatusCode.Forbidden, "actor_required");
    }

    [Fact]
    public async Task ContactChange_ProvenOnOldThenNewEmailVerified_ChangedAndOldAddressNotified()
    {
        var oldEmail = await _portal.CreateUserAsync(_tenant, "u1");
        var newEmail = $"new.{_tenant}@example.test";

        // The session alone proves nothing: refused, and no code goes anywhere.
        await PortalApi.AssertProblemAsync(await Send(HttpMethod.Post, "u1", "contact-changes", "u1", new { email = newEmail }), HttpStatusCode.Forbidden,
            "verification_required");
        Assert.Equal(0, await _app.Infra.Mail.CountEmailsToAsync(newEmail));
        Assert.Equal(0, await _app.Infra.Mail.CountEmailsToAsync(oldEmail));

        var done = await _portal.ChangeEmailAsync(_tenant, "u1", oldEmail, newEmail);

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(newEmail, (await done.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("email").GetString());
        var notice = await _app.Infra.Mail.WaitForEmailAsync(oldEmail, null, TimeSpan.FromSeconds(10));
        Assert.Contains("changed", notice.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContactChange_InvalidPhone_400AndNothingSent()
    {
        await _portal.CreateUserAsync(_tenant, "u1");

        await PortalApi.AssertProblemAsync(await Send(HttpMethod.Post, "u1", "contact-changes", "u1", new { phone = "+1555" }), HttpStatusCode.BadRequest, "invalid_phone");
        await PortalApi.AssertProblemAsync(await Send(HttpMethod.Post, "u1", "contact-changes", "u1", new { }), HttpStatusCode.BadRequest, "invalid_contact_change");
    }

    [Fact]
    public async Task ResetUserTwoFactor_ByAdmin_ForgetsDevicesAndUserVerifiesAgain()
    {
        await _portal.SetPolicyAsync(_tenant, t => t with { Mode = TwoFactorMode.RequiredForAll });
        var email = await _portal.CreateUserAsync(_tenant, "u1");
        var id = await _portal.CreateChallengeIdAsync(_tenant, "u1");
        var verified = await _portal.VerifyAsync(_tenant, id, await _portal.ReadCodeAsync(email), rememberDevice: true);
        var token = (await verified.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deviceToken").GetString();
        Assert.Equal("TrustedDevice", (await Decision("u1", token)).GetProperty("reason").GetString());

        await PortalApi.AssertProblemAsync(await Send(HttpMethod.Post, "u1", "two-factor/reset", "u1", null), HttpStatusCode.Forbidden, "admin_required");
        await PortalApi.AssertProblemAsync(await Send(HttpMethod.Post, "u1", "two-factor/reset", "admin", null), HttpStatusCode.Forbidden, "verification_required");
        var reset = await _portal.ResetAsync(_tenant, "u1", "admin", await _portal.StepUpAsync(_tenant, "admin", AdminEmail));

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.True((await reset.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reverifyPending").GetBoolean());
        Assert.True((await Decision("u1", token)).GetProperty("required").GetBoolean());
    }

    [Fact]
    public async Task UnlockUser_LockedAccount_CanSignInAgain()
    {
        await _portal.SetPolicyAsync(_tenant, t => t with { Mode = TwoFactorMode.RequiredForAll });
        var email = await _portal.CreateUserAsync(_tenant, "u1");
        for (var c = 0; c < 2; c++)
        {
            var id = await _portal.CreateChallengeIdAsync(_tenant, "u1");
            for (var i = 0; i < 5; i++)
            {
                await _portal.VerifyAsync(_tenant, id, "000000");
            }
        }

        await PortalApi.AssertProblemAsync(await _portal.CreateChallengeAsync(_tenant, "u1"), HttpStatusCode.Locked, "account_locked");
        Assert.Equal(HttpStatusCode.NoContent, (await Send(HttpMethod.Post, "u1", "unlock", "admin", null)).StatusCode);

        var fresh = await _portal.CreateChallengeIdAsync(_tenant, "u1");
        Assert.Equal(HttpStatusCode.OK, (await _portal.VerifyAsync(_tenant, fresh, await _portal.ReadCodeAsync(email, nth: 3))).StatusCode);
    }

    [Fact]
    public async Task ListAuditEvents_FullScenario_NewestFirstWithoutSecrets()
    {
        await _portal.SetPolicyAsync(_tenant, t => t with { Mode = TwoFactorMode.RequiredForAll });
        var email = await _portal.CreateUserAsync(_tenant, "u1");
        var id = await _portal.CreateChallengeIdAsync(_tenant, "u1");
        var code = await _portal.ReadCodeAsync(email);
        await _portal.VerifyAsync(_tenant, id, code == "000000" ? "111111" : "000000");
        var verified = await _portal.VerifyAsync(_tenant, id, code, rememberDevice: true);
        var token = (await verified.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deviceToken").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await _portal.ResetAsync(_tenant, "u1", "admin", await _portal.StepUpAsync(_tenant, "admin", AdminEmail))).StatusCode);
        await Send(HttpMethod.Post, "u1", "unlock", "admin", null);

        await PortalApi.AssertProblemAsync(await Get($"/api/tenants/{_tenant}/audit", "u1"), HttpStatusCode.Forbidden, "admin_required");
        var page = await (await Get($"/api/tenants/{_tenant}/audit?pageSize=100", "admin")).Content.ReadFromJsonAsync<JsonElement>();
        var events = page.GetProperty("events").EnumerateArray().ToList();
        var types = events.Select(e => e.GetProperty("type").GetString()).ToList();

        Assert.Equal(
            ["AccountUnlocked", "AdminReset", "DeviceRevoked", "VerifySucceeded", "ChallengeSent", "DeviceTrusted", "VerifySucceeded", "VerifyFailed", "ChallengeSent"],
            types);
        var times = events.Select(e => e.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times);
        var raw = page.GetRawText();
        Assert.DoesNotContain(code, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[1], raw, StringComparison.Ordinal);
    }

    private string AdminEmail => $"admin.{_tenant}@example.test".ToLowerInvariant();

    private async Task<string> ProveAsync(string userId, string email, int nth)
    {
        var start = await Send(HttpMethod.Post, userId, "two-factor/challenges", userId, null);
        Assert.Equal(HttpStatusCode.Created, start.StatusCode);
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("challengeId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await _portal.VerifyAsync(_tenant, id, await _portal.ReadCodeAsync(email, nth))).StatusCode);
        return id;
    }

    private async Task<JsonElement> Decision(string userId, string? deviceToken = null) =>
        await (await _portal.CreateChallengeAsync(_tenant, userId, deviceToken)).Content.ReadFromJsonAsync<JsonElement>();

    private Task<HttpResponseMessage> Get(string path, string actor) =>
        _portal.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { "X-Actor-Id", actor } } });

    private Task<HttpResponseMessage> Send(HttpMethod method, string userId, string path, string? actor, object? body)
    {
        var request = new HttpRequestMessage(method, $"/api/tenants/{_tenant}/users/{userId}/{path}")
        {
            Content = body is null ? null : JsonContent.Create(body),
        };
        if (actor is not null)
        {
            request.Headers.Add("X-Actor-Id", actor);
        }

        return _portal.Http.SendAsync(request);
    }
}
