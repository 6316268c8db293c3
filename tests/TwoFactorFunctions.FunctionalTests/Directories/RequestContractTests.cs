using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TwoFactorFunctions.FunctionalTests.Infrastructure;
using TwoFactorFunctions.FunctionalTests.Support;

namespace TwoFactorFunctions.FunctionalTests.Directories;

/// <summary>
/// PUT takes the whole resource and refuses what it does not know; PATCH (JSON Merge Patch) changes only what it names.
/// Every refused request leaves the resource as it was, read back over the API.
/// </summary>
[Collection(ServicesGroup.Name)]
public sealed class RequestContractTests(TestServices services) : IAsyncLifetime, IDisposable
{
    private readonly TwoFactorAppFactory _app = new(services, "tffcontract");
    private PortalApi _portal = null!;
    private string _tenant = "";
    private string _user = "";
    private string _path = "";

    public async Task InitializeAsync()
    {
        _portal = new PortalApi(_app);
        _tenant = PortalApi.NewTenantId("ctr");
        _path = $"/api/tenants/{_tenant}";
        await _portal.CreateTenantAsync(_tenant, twoFactorOn: false);
        _user = $"{_path}/users/ann";
        (await _portal.Http.PutAsJsonAsync(_user, new { displayName = "Ann", email = "ann@fz.example", phone = "+14155550100", role = "Admin", active = true }))
            .EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public void Dispose() => _app.Dispose();

    [Theory]
    [InlineData("{}", "$.displayName")]
    [InlineData("""{"actions":["x"]}""", "$.actions")]
    [InlineData("""{"displayName":"Ann","email":"ann@fz.example","role":"Admin"}""", "$.active")]
    [InlineData("""{"displayName":"Ann","email":"ann@fz.example","role":"Admin","active":true,"emial":"typo@fz.example"}""", "$.emial")]
    [InlineData("""{"displayName":null,"email":"ann@fz.example","role":"Admin","active":true}""", "$.displayName")]
    [InlineData("""{"displayName":"Ann","email":"ann@fz.example","role":1,"active":true}""", "$.role")]
    public async Task UpsertUser_NotAWholeUser_400InvalidBodyNamingTheMemberAndUserUnchanged(string body, string member)
    {
        var before = await ReadAsync(_user);

        var response = await _portal.Http.PutAsync(_user, Json(body));

        await AssertInvalidBodyAsync(response, member);
        await AssertUnchangedAsync(_user, before);
    }

    [Fact]
    public async Task UpsertUser_NoContact_400ContactRequiredAndUserUnchanged()
    {
        var before = await ReadAsync(_user);

        var response = await _portal.Http.PutAsJsonAsync(_user, new { displayName = "Ann", role = "Admin", active = true });

        await PortalApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, "contact_required");
        await AssertUnchangedAsync(_user, before);
    }

    [Fact]
    public async Task UpsertTenant_UnknownMember_400InvalidBodyAndTenantUnchanged()
    {
        var before = await ReadAsync(_path);

        var response = await _portal.Http.PutAsync(_path, Json("""{"enabled":"yes"}"""));

        await AssertInvalidBodyAsync(response, "$.enabled");
        await AssertUnchangedAsync(_path, before);
    }

    [Fact]
    public async Task UpsertTenant_LimitsLeftOut_KeepTheirStoredValues()
    {
        (await _portal.Http.PutAsJsonAsync(_path, new { displayName = "F", defaultRegion = "AU", smsDailyBudget = 50, allowedCallingCodes = new[] { 61 } })).EnsureSuccessStatusCode();

        var response = await _portal.Http.PutAsJsonAsync(_path, new { displayName = "F Renamed" });

        response.EnsureSuccessStatusCode();
        var tenant = await ReadAsync(_path);
        Assert.Equal("F Renamed", tenant.GetProperty("displayName").GetString());
        Assert.Equal("AU", tenant.GetProperty("defaultRegion").GetString());
        Assert.Equal(50, tenant.GetProperty("sendLimits").GetProperty("smsDailyBudget").GetInt32());
        Assert.Equal(61, tenant.GetProperty("sendLimits").GetProperty("allowedCallingCodes")[0].GetInt32());
    }

    [Fact]
    public async Task PatchUser_OneMember_OnlyThatMemberChanges()
    {
        var response = await PatchAsync(_user, """{"displayName":"Ann Smith"}""");

        response.EnsureSuccessStatusCode();
        var user = await ReadAsync(_user);
        Assert.Equal("Ann Smith", user.GetProperty("displayName").GetString());
        Assert.Equal("Admin", user.GetProperty("role").GetString());
        Assert.Equal("+14155550100", user.GetProperty("phone").GetString());
        Assert.Equal("ann@fz.example", user.GetProperty("email").GetString());
    }

    [Fact]
    public async Task PatchUser_NullPhone_PhoneRemovedRestKept()
    {
        (await PatchAsync(_user, """{"phone":null}""")).EnsureSuccessStatusCode();

        var user = await ReadAsync(_user);
        Assert.Equal(JsonValueKind.Null, user.GetProperty("phone").ValueKind);
        Assert.Equal("Ann", user.GetProperty("displayName").GetString());
    }

    [Theory]
    [InlineData("""{"displayName":null}""", "$.displayName")]
    [InlineData("""{"role":"Owner"}""", "$.role")]
    [InlineData("""{"actions":["x"]}""", "$.actions")]
    [InlineData("""[]""", "$")]
    public async Task PatchUser_ResultNotAWholeUser_400InvalidBodyAndUserUnchanged(string patch, string member)
    {
        var before = await ReadAsync(_user);

        await AssertInvalidBodyAsync(await PatchAsync(_user, patch), member);

        await AssertUnchangedAsync(_user, before);
    }

    [Fact]
    public async Task PatchUser_BothContactsRemoved_400ContactRequired()
    {
        await PortalApi.AssertProblemAsync(await PatchAsync(_user, """{"email":null,"phone":null}"""), HttpStatusCode.BadRequest, "contact_required");
    }

    [Fact]
    public async Task PatchUser_UnknownUser_404()
    {
        await PortalApi.AssertProblemAsync(await PatchAsync($"{_path}/users/ghost", """{"displayName":"G"}"""), HttpStatusCode.NotFound, "user_not_found");
    }

    [Fact]
    public async Task PatchTenant_DisplayName_LimitsKept()
    {
        (await _portal.Http.PutAsJsonAsync(_path, new { displayName = "F", voiceDailyBudget = 7 })).EnsureSuccessStatusCode();

        (await PatchAsync(_path, """{"displayName":"F2"}""")).EnsureSuccessStatusCode();

        var tenant = await ReadAsync(_path);
        Assert.Equal("F2", tenant.GetProperty("displayName").GetString());
        Assert.Equal(7, tenant.GetProperty("sendLimits").GetProperty("voiceDailyBudget").GetInt32());
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private Task<HttpResponseMessage> PatchAsync(string path, string patch) =>
        _portal.Http.PatchAsync(path, new StringContent(patch, Encoding.UTF8, "application/merge-patch+json"));

    private async Task<JsonElement> ReadAsync(string path)
    {
        var response = await _portal.Http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task AssertUnchangedAsync(string path, JsonElement before)
    {
        var after = await ReadAsync(path);
        Assert.True(JsonElement.DeepEquals(before, after), $"{path} changed: {before} -> {after}");
    }

    private static async Task AssertInvalidBodyAsync(HttpResponseMessage response, string member)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {text}");
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal("invalid_body", problem.GetProperty("code").GetString());
        Assert.Equal(member, problem.GetProperty("member").GetString());
    }
}
