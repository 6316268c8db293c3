using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Core.Storage;

using TwoFactorFunctions.FunctionalTests.Infrastructure;

namespace TwoFactorFunctions.FunctionalTests.Messaging;

[Collection(TestServicesDefinition.Name)]
public sealed partial class DevOutboxTests(TestServices services) : IAsyncLifetime, IAsyncDisposable
{
    private readonly MessagingAppFactory _app = new(services);

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

        var outbox = await http.GetFromJsonAsync<JsonElement>($"/api/dev/outbox/{Uri.EscapeDataString(phone)}");
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
        await delivery.DeliverAsync(Channel.Sms, phone, null, "482913", 10, "k-sms", CancellationToken.None);
        await Task.Delay(5);
        await delivery.DeliverAsync(Channel.Voice, phone, null, "771234", 10, "k-voice", CancellationToken.None);

        var outbox = await _app.CreateKeyedClient().GetFromJsonAsync<JsonElement>($"/api/dev/outbox/{Uri.EscapeDataString(phone)}");

        Assert.Equal(2, outbox.GetArrayLength());
        Assert.Equal("voice", outbox[0].GetProperty("kind").GetString());
        Assert.Contains("7, 7, 1, 2, 3, 4", outbox[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("sms", outbox[1].GetProperty("kind").GetString());
        Assert.Contains("482913", outbox[1].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains(_app.Logs.Lines, l => l.Contains("Voice call queued to dev outbox for +1******0142", StringComparison.Ordinal));
        Assert.DoesNotContain(_app.Logs.Lines, l => l.Contains("482913", StringComparison.Ordinal) || l.Contains("7, 7, 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DevOutbox_OtherNumber_SeesNothing()
    {
        var outbox = await _app.CreateKeyedClient().GetFromJsonAsync<JsonElement>("/api/dev/outbox/%2B447700900123");

        Assert.Equal(0, outbox.GetArrayLength());
    }

    [Theory]
    [InlineData("0412555123")]
    [InlineData("+61 412")]
    [InlineData("+1234567890123456789")]
    public async Task DevOutbox_NotE164_400(string phone)
    {
        var response = await _app.CreateKeyedClient().GetAsync($"/api/dev/outbox/{Uri.EscapeDataString(phone)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task DevOutbox_NoFunctionKey_401()
    {
        var response = await _app.CreateClient().GetAsync("/api/dev/outbox/%2B13035550142");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [GeneratedRegex(@"\b(\d{6})\b")]
    private static partial Regex SixDigits();
}
