using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using TwoFactorFunctions.App.Hosting;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Core.Storage;

using TwoFactorFunctions.FunctionalTests.Infrastructure;

namespace TwoFactorFunctions.FunctionalTests.Messaging;

[Collection(ServicesGroup.Name)]
public sealed partial class DevOutboxTests(TestServices services) : IAsyncLifetime, IAsyncDisposable
{
    /// <summary>A second key, limited to tenant <see cref="TenantA"/> (the dev key of appsettings.Development.json is key 0).</summary>
    private const string ScopedKey = "outbox-scoped-key";

    private const string TenantA = "outbox-a";

    private readonly MessagingAppFactory _app = new(services, new Dictionary<string, string?>
    {
        ["FunctionKeys:Keys:1:Name"] = "scoped",
        ["FunctionKeys:Keys:1:Sha256"] = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(ScopedKey))),
        ["FunctionKeys:Keys:1:Tenants:0"] = TenantA,
    });

    public async Task InitializeAsync() => await _app.StorageReadyAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    [Fact]
    public async Task SignIn_SmsTenant_CodeReadFromDevOutboxVerifies()
    {
        var http = _app.CreateKeyedClient();
        var tenantId = "t-" + Guid.NewGuid().ToString("N")[..12];
        const string phone = "+61412555123";
        (await http.PutAsJsonAsync($"/api/tenants/{tenantId}", new { displayName = "Acme", defaultRegion = "AU" })).EnsureSuccessStatusCode();
        (await http.PutAsJsonAsync($"/api/tenants/{tenantId}/users/u1", new { displayName = "Mary", email = "mary@example.test", phone, role = "User", active = true }))
            .EnsureSuccessStatusCode();
        var tenants = _app.Services.GetRequiredService<ITenantStore>();
        var tenant = (await tenants.GetAsync(tenantId, CancellationToken.None))!;
        Assert.True(await tenants.TryReplaceAsync(tenant with { TwoFactorEnabled = true, Channel = Channel.Sms }, CancellationToken.None));

        var created = await http.PostAsJsonAsync($"/api/tenants/{tenantId}/challenges", new { userId = "u1" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var challengeId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("challenge").GetProperty("challengeId").GetString();

        var outbox = await http.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/dev/outbox/{Uri.EscapeDataString(phone)}");
        var latest = outbox[0];
        Assert.Equal("sms", latest.GetProperty("kind").GetString());
        Assert.Equal(phone, latest.GetProperty("to").GetString());
        var code = SixDigits().Match(latest.GetProperty("text").GetString()!).Groups[1].Value;
        Assert.Equal(6, code.Length);

        var verified = await http.PostAsJsonAsync($"/api/tenants/{tenantId}/challenges/{challengeId}/verify", new { code });
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);

        Assert.Contains(_app.Logs.Lines, l => l.Contains("SMS queued to dev outbox for +61*****5123", StringComparison.Ordinal));
        Assert.DoesNotContain(_app.Logs.Lines, l => l.Contains(code, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DevOutbox_SmsThenCall_ListsNewestFirstAndLogsNoCode()
    {
        var delivery = _app.Services.GetRequiredService<ICodeDelivery>();
        const string phone = "+13035550142";
        await delivery.DeliverAsync(TenantA, Channel.Sms, phone, null, "482913", 10, "k-sms", CancellationToken.None);
        await Task.Delay(5);
        await delivery.DeliverAsync(TenantA, Channel.Voice, phone, null, "771234", 10, "k-voice", CancellationToken.None);

        var outbox = await _app.CreateKeyedClient().GetFromJsonAsync<JsonElement>($"/api/tenants/{TenantA}/dev/outbox/{Uri.EscapeDataString(phone)}");

        Assert.Equal(2, outbox.GetArrayLength());
        Assert.Equal("voice", outbox[0].GetProperty("kind").GetString());
        Assert.Contains("7, 7, 1, 2, 3, 4", outbox[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("sms", outbox[1].GetProperty("kind").GetString());
        Assert.Equal(phone, outbox[1].GetProperty("to").GetString());
        Assert.Contains("482913", outbox[1].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains(_app.Logs.Lines, l => l.Contains("Voice call queued to dev outbox for +1******0142", StringComparison.Ordinal));
        Assert.DoesNotContain(_app.Logs.Lines, l => l.Contains("482913", StringComparison.Ordinal) || l.Contains("7, 7, 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DevOutbox_OtherNumber_SeesNothing()
    {
        var outbox = await _app.CreateKeyedClient().GetFromJsonAsync<JsonElement>($"/api/tenants/{TenantA}/dev/outbox/%2B447700900123");

        Assert.Equal(0, outbox.GetArrayLength());
    }

    [Theory]
    [InlineData("0412555123")]
    [InlineData("+61 412")]
    [InlineData("+1234567890123456789")]
    public async Task DevOutbox_NotE164_400(string phone)
    {
        var response = await _app.CreateKeyedClient().GetAsync($"/api/tenants/{TenantA}/dev/outbox/{Uri.EscapeDataString(phone)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task DevOutbox_NoFunctionKey_401()
    {
        var response = await _app.CreateClient().GetAsync($"/api/tenants/{TenantA}/dev/outbox/%2B13035550142");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task DevOutbox_SameNumberTwoTenants_EachListsOnlyItsOwn()
    {
        var delivery = _app.Services.GetRequiredService<ICodeDelivery>();
        var tenantB = "outbox-b-" + Guid.NewGuid().ToString("N")[..8];
        const string phone = "+13035550177";
        await delivery.DeliverAsync(TenantA, Channel.Sms, phone, null, "111222", 10, "k-a-" + Guid.NewGuid().ToString("N"), CancellationToken.None);
        await delivery.DeliverAsync(tenantB, Channel.Sms, phone, null, "333444", 10, "k-b-" + Guid.NewGuid().ToString("N"), CancellationToken.None);
        var http = _app.CreateKeyedClient();

        var underA = await http.GetFromJsonAsync<JsonElement>($"/api/tenants/{TenantA}/dev/outbox/{Uri.EscapeDataString(phone)}");
        var underB = await http.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantB}/dev/outbox/{Uri.EscapeDataString(phone)}");

        Assert.Contains("111222", Assert.Single(underA.EnumerateArray()).GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("333444", Assert.Single(underB.EnumerateArray()).GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoPortalOutbox_NumberAlsoUsedByAnotherTenant_ShowsOnlyTheDemoTenantsMessages()
    {
        var http = _app.CreateKeyedClient();
        var userId = "outbox-" + Guid.NewGuid().ToString("N")[..8];
        const string phone = "+61412555199";
        (await http.PutAsJsonAsync($"/api/tenants/{DemoSeeder.TenantId}", new { displayName = "Demo", defaultRegion = "AU" })).EnsureSuccessStatusCode();
        (await http.PutAsJsonAsync($"/api/tenants/{DemoSeeder.TenantId}/users/{userId}", new { displayName = "Demo user", phone, role = "User", active = true }))
            .EnsureSuccessStatusCode();
        var delivery = _app.Services.GetRequiredService<ICodeDelivery>();
        await delivery.DeliverAsync(DemoSeeder.TenantId, Channel.Sms, phone, null, "246802", 10, "k-demo-" + Guid.NewGuid().ToString("N"), CancellationToken.None);
        await delivery.DeliverAsync("outbox-other", Channel.Sms, phone, null, "135791", 10, "k-other-" + Guid.NewGuid().ToString("N"), CancellationToken.None);

        var shown = await _app.CreateClient().GetFromJsonAsync<JsonElement>($"/demo/api/outbox/{userId}");

        Assert.Contains("246802", Assert.Single(shown.EnumerateArray()).GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevOutbox_KeyScopedToTenantA_403OnTenantBsOutboxAndOnTheOldTenantlessRouteButReadsItsOwn()
    {
        var delivery = _app.Services.GetRequiredService<ICodeDelivery>();
        const string phone = "+13035550188";
        await delivery.DeliverAsync("outbox-b", Channel.Sms, phone, null, "555666", 10, "k-scope-" + Guid.NewGuid().ToString("N"), CancellationToken.None);
        await delivery.DeliverAsync(TenantA, Channel.Sms, phone, null, "777888", 10, "k-scope-" + Guid.NewGuid().ToString("N"), CancellationToken.None);
        var scoped = _app.CreateClient();
        scoped.DefaultRequestHeaders.Add("x-functions-key", ScopedKey);

        var other = await scoped.GetAsync($"/api/tenants/outbox-b/dev/outbox/{Uri.EscapeDataString(phone)}");
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal("tenant_forbidden", (await other.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.DoesNotContain("555666", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The route that read any tenant's messages is gone (a scoped key on any route without a tenant is refused:
        // EndpointMatrixTests); what is left is the tenant's own outbox.
        Assert.Equal(HttpStatusCode.NotFound, (await scoped.GetAsync($"/api/dev/outbox/{Uri.EscapeDataString(phone)}")).StatusCode);
        var own = await scoped.GetFromJsonAsync<JsonElement>($"/api/tenants/{TenantA}/dev/outbox/{Uri.EscapeDataString(phone)}");
        Assert.Contains("777888", Assert.Single(own.EnumerateArray()).GetProperty("text").GetString(), StringComparison.Ordinal);

        // Health and liveness stay open to any caller, scoped keys included.
        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync("/api/health/live")).StatusCode);
    }

    [GeneratedRegex(@"\b(\d{6})\b")]
    private static partial Regex SixDigits();
}
