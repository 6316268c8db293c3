using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.FunctionalTests.Infrastructure;
using TwoFactorFunctions.FunctionalTests.Support;

namespace TwoFactorFunctions.FunctionalTests.Accounts;

/// <summary>SMS and voice channels through the Development outbox, and the SMS-pumping guard.</summary>
[Collection(ServicesGroup.Name)]
public sealed class PhoneChannelTests(TestServices services) : IAsyncLifetime, IDisposable
{
    private readonly TwoFactorAppFactory _app = new(services, "tffphone", environment: "Development");
    private PortalApi _portal = null!;
    private string _tenant = "";

    public async Task InitializeAsync()
    {
        _portal = new PortalApi(_app);
        _tenant = PortalApi.NewTenantId("phone");
        await _portal.CreateTenantAsync(_tenant);
        await _portal.SetPolicyAsync(_tenant, t => t with { Channel = Channel.Sms });
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Verify_SmsCodeFromOutbox_Succeeds()
    {
        var phone = NewPhone();
        await _portal.CreateUserAsync(_tenant, "u1", phone: phone);

        var created = await _portal.CreateChallengeAsync(_tenant, "u1");
        var challenge = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("challenge");

        Assert.Equal("Sms", challenge.GetProperty("channel").GetString());
        Assert.Equal($"+61*****{phone[^4..]}", challenge.GetProperty("maskedDestination").GetString());
        var verify = await _portal.VerifyAsync(_tenant, challenge.GetProperty("challengeId").GetString()!, await _portal.ReadPhoneCodeAsync(_tenant, phone));
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
    }

    [Fact]
    public async Task UpdateUserTwoFactor_OptInOverVoice_CodeSpokenDigitByDigit()
    {
        await _portal.SetPolicyAsync(_tenant, t => t with { Channel = Channel.Voice, Mode = TwoFactorMode.UserOptIn });
        var phone = NewPhone();
        await _portal.CreateUserAsync(_tenant, "u1", phone: phone);

        var start = await Actor(HttpMethod.Post, "/users/u1/two-factor/challenges", "u1", null);
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("challengeId").GetString()!;
        var call = (await _portal.OutboxAsync(_tenant, phone))[0];
        Assert.Equal("voice", call.GetProperty("kind").GetString(), ignoreCase: true);

        Assert.Equal(HttpStatusCode.OK, (await _portal.VerifyAsync(_tenant, id, await _portal.ReadPhoneCodeAsync(_tenant, phone))).StatusCode);
        var on = await Actor(HttpMethod.Put, "/users/u1/two-factor", "u1", new { enabled = true, verifiedChallengeId = id });

        Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        Assert.Equal("Voice", (await on.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verifiedChannel").GetString());
    }

    [Fact]
    public async Task CreateChallenge_FourthSmsToOneNumberInTenMinutes_RefusedNothingSentAudited()
    {
        var phone = NewPhone();
        await _portal.CreateUserAsync(_tenant, "u1", phone: phone);
        await _portal.CreateUserAsync(_tenant, "admin", role: "Admin");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await _portal.CreateChallengeAsync(_tenant, "u1")).StatusCode);
        }

        var fourth = await _portal.CreateChallengeAsync(_tenant, "u1");

        await PortalApi.AssertProblemAsync(fourth, HttpStatusCode.TooManyRequests, "number_send_limit");
        Assert.NotNull(fourth.Headers.RetryAfter);
        Assert.Equal(3, (await _portal.OutboxAsync(_tenant, phone)).Count);
        var audit = await (await Actor(HttpMethod.Get, "/audit", "admin", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("SendBlocked", audit.GetProperty("events")[0].GetProperty("type").GetString());

        // A new window lets codes flow again.
        _app.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(HttpStatusCode.Created, (await _portal.CreateChallengeAsync(_tenant, "u1")).StatusCode);
    }

    [Fact]
    public async Task CreateChallenge_NumberOutsideAllowedCountries_RefusedNothingSent()
    {
        const string usPhone = "+13035550142";
        await _portal.CreateUserAsync(_tenant, "u1", phone: usPhone);

        await PortalApi.AssertProblemAsync(await _portal.CreateChallengeAsync(_tenant, "u1"), HttpStatusCode.TooManyRequests, "country_not_allowed");
        Assert.Empty(await _portal.OutboxAsync(_tenant, usPhone));

        var allow = await _portal.Http.PutAsJsonAsync($"/api/tenants/{_tenant}", new { displayName = "Acme", defaultRegion = "AU", allowedCallingCodes = new[] { 61, 1 } });
        Assert.Equal(HttpStatusCode.OK, allow.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _portal.CreateChallengeAsync(_tenant, "u1")).StatusCode);
        Assert.Single(await _portal.OutboxAsync(_tenant, usPhone));
    }

    [Fact]
    public async Task CreateChallenge_TenantDailySmsBudgetUsed_Refused()
    {
        await _portal.Http.PutAsJsonAsync($"/api/tenants/{_tenant}", new { displayName = "Acme", defaultRegion = "AU", smsDailyBudget = 2 });
        await _portal.SetPolicyAsync(_tenant, t => t with { TwoFactorEnabled = true, Channel = Channel.Sms });
        for (var i = 0; i < 3; i++)
        {
            await _portal.CreateUserAsync(_tenant, $"u{i}", phone: NewPhone());
        }

        Assert.Equal(HttpStatusCode.Created, (await _portal.CreateChallengeAsync(_tenant, "u0")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _portal.CreateChallengeAsync(_tenant, "u1")).StatusCode);
        await PortalApi.AssertProblemAsync(await _portal.CreateChallengeAsync(_tenant, "u2"), HttpStatusCode.TooManyRequests, "tenant_send_budget_exhausted");
    }

    // +61 40x xxx xxx is an allocated Australian mobile range, so libphonenumber accepts every such number.
    private static string NewPhone() => $"+6140{Random.Shared.Next(0, 9_999_999):D7}";

    private Task<HttpResponseMessage> Actor(HttpMethod method, string path, string actor, object? body)
    {
        var request = new HttpRequestMessage(method, $"/api/tenants/{_tenant}{path}") { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-Actor-Id", actor);
        return _portal.Http.SendAsync(request);
    }
}
