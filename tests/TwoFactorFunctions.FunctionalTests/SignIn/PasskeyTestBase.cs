using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.FunctionalTests.Infrastructure;
using TwoFactorFunctions.FunctionalTests.Support;

namespace TwoFactorFunctions.FunctionalTests.SignIn;

/// <summary>
/// What the passkey tests share: the app on the shared Azurite and MailDev, with passkeys configured for the portal's
/// origin and the clock moved by the test; a fresh tenant allowing passkeys with an admin for each test; and the
/// ceremonies as the portal's page runs them, with a <see cref="SoftwareAuthenticator"/> in place of the browser.
/// </summary>
public abstract class PasskeyTestBase(TestServices services) : IAsyncLifetime, IDisposable
{
    protected const string Origin = TwoFactorAppFactory.PasskeyOrigin;

    private readonly List<SoftwareAuthenticator> _passkeys = [];

    // Parallel tests issue more than the default 10 challenges per user per window.
    protected TwoFactorAppFactory App { get; } = new(services, "tffpasskey", new Dictionary<string, string?>
    {
        ["TwoFactor:MaxChallengesPerWindow"] = "100",
        // The relying party every test app has (the portal's host), named here as these tests read it back.
        ["TwoFactor:Passkeys:RelyingPartyId"] = TwoFactorAppFactory.PasskeyRelyingPartyId,
        ["TwoFactor:Passkeys:RelyingPartyName"] = "Acme Portal",
        ["TwoFactor:Passkeys:Origins:0"] = Origin,
    });

    protected PortalApi Portal { get; private set; } = null!;

    protected string Tenant { get; private set; } = "";

    protected string AdminEmail { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Portal = new PortalApi(App);
        Tenant = await NewTenantAsync();
        AdminEmail = await Portal.CreateUserAsync(Tenant, "admin", role: "Admin");
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    public void Dispose()
    {
        _passkeys.ForEach(p => p.Dispose());
        App.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A tenant with 2FA on whose policy allows passkeys besides the default factors.</summary>
    protected async Task<string> NewTenantAsync()
    {
        var tenant = PortalApi.NewTenantId("pk");
        await Portal.CreateTenantAsync(tenant);
        await Portal.SetPolicyAsync(tenant, t => t with { FactorPolicy = FactorPolicy.Default with { Allowed = [.. FactorPolicy.Default.Allowed.Append(Factor.Passkey).Distinct()] } });
        return tenant;
    }

    protected SoftwareAuthenticator NewPasskey(uint counter = 0)
    {
        var passkey = new SoftwareAuthenticator(counter: counter);
        _passkeys.Add(passkey);
        return passkey;
    }

    /// <summary>Starts a registration ceremony, self-service, with the proof given (none: no proof at all).</summary>
    protected Task<HttpResponseMessage> RequestRegistrationAsync(string tenant, string userId, string? verifiedChallengeId) =>
        Portal.SendAsUserAsync(HttpMethod.Post, tenant, userId, "passkeys/registrations", userId, new { verifiedChallengeId });

    /// <summary>
    /// A registration ceremony started on a fresh proof: the emailed code, or <paramref name="prover"/> once the user has a
    /// passkey (then the code proves nothing); the 201 body.
    /// </summary>
    protected async Task<JsonElement> StartRegistrationAsync(string tenant, string userId, string email, SoftwareAuthenticator? prover = null)
    {
        var proof = prover is null ? await Portal.ProveSelfAsync(tenant, userId, email) : await ProveSelfWithPasskeyAsync(tenant, userId, prover);
        var started = await RequestRegistrationAsync(tenant, userId, proof);
        Assert.True(started.StatusCode == HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
        var ceremony = await started.Content.ReadFromJsonAsync<JsonElement>();

        // The ceremony id and its challenge finish a registration: the log and telemetry scans must never find them.
        SecretScan.Saw(ceremony.GetProperty("ceremonyId").GetString());
        SecretScan.Saw(ceremony.GetProperty("publicKey").GetProperty("challenge").GetString());
        return ceremony;
    }

    protected Task<HttpResponseMessage> CompleteRegistrationAsync(string tenant, string userId, string ceremonyId, JsonObject credential, string name = "My laptop") =>
        Portal.SendAsUserAsync(HttpMethod.Post, tenant, userId, "passkeys", userId, new { ceremonyId, name, credential });

    /// <summary>The whole self-service registration: emailed-code proof, ceremony, credential; the passkey's view.</summary>
    protected async Task<JsonElement> AddPasskeyAsync(string tenant, string userId, string email, SoftwareAuthenticator passkey, string name = "My laptop")
    {
        var ceremony = await StartRegistrationAsync(tenant, userId, email);
        var added = await CompleteRegistrationAsync(tenant, userId, ceremony.GetProperty("ceremonyId").GetString()!,
            passkey.Register(ceremony.GetProperty("publicKey"), Origin), name);
        Assert.True(added.StatusCode == HttpStatusCode.Created, await added.Content.ReadAsStringAsync());
        return await added.Content.ReadFromJsonAsync<JsonElement>();
    }

    protected async Task<JsonElement> ListPasskeysAsync(string tenant, string userId)
    {
        var listed = await Portal.SendAsUserAsync(HttpMethod.Get, tenant, userId, "passkeys", userId, null);
        Assert.True(listed.StatusCode == HttpStatusCode.OK, await listed.Content.ReadAsStringAsync());
        return await listed.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>A sign-in challenge for the user; its JSON (<c>challenge</c> of the decision).</summary>
    protected async Task<JsonElement> SignInChallengeAsync(string tenant, string userId) =>
        (await Portal.SignInAsync(tenant, userId)).GetProperty("challenge");

    protected async Task<string> ChallengeIdAsync(string tenant, string userId) =>
        (await SignInChallengeAsync(tenant, userId)).GetProperty("challengeId").GetString()!;

    protected Task<HttpResponseMessage> RequestOptionsAsync(string tenant, string challengeId, bool discoverable = false) =>
        Portal.Http.PostAsJsonAsync($"/api/tenants/{tenant}/challenges/{challengeId}/passkey-options", new { discoverable });

    /// <summary>The request options' <c>publicKey</c> for a challenge (a new ceremony each call).</summary>
    protected async Task<JsonElement> OptionsAsync(string tenant, string challengeId, bool discoverable = false)
    {
        var response = await RequestOptionsAsync(tenant, challengeId, discoverable);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var options = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("publicKey");
        SecretScan.Saw(options.GetProperty("challenge").GetString());
        return options;
    }

    protected Task<HttpResponseMessage> VerifyPasskeyAsync(string tenant, string challengeId, JsonObject credential)
    {
        SecretScan.Saw(credential["response"]?["signature"]?.GetValue<string>());
        return Portal.Http.PostAsJsonAsync($"/api/tenants/{tenant}/challenges/{challengeId}/verify", new { factor = "Passkey", credential, rememberDevice = false });
    }

    /// <summary>A sign-in answered with <paramref name="passkey"/>: challenge, options, assertion; the verify response.</summary>
    protected async Task<HttpResponseMessage> SignInWithAsync(string tenant, string userId, SoftwareAuthenticator passkey, uint? counter = null)
    {
        var id = await ChallengeIdAsync(tenant, userId);
        return await VerifyPasskeyAsync(tenant, id, passkey.Assert(await OptionsAsync(tenant, id), Origin, counter));
    }

    /// <summary>The tenant's two-factor settings changed by its admin.</summary>
    protected Task<HttpResponseMessage> SettingsAsync(object body) => Portal.UpdateSettingsAsync(Tenant, "admin", body);

    /// <summary>A SelfService challenge the user verified with <paramref name="passkey"/>: the proof once they have one.</summary>
    protected async Task<string> ProveSelfWithPasskeyAsync(string tenant, string userId, SoftwareAuthenticator passkey)
    {
        var start = await Portal.SendAsUserAsync(HttpMethod.Post, tenant, userId, "two-factor/challenges", userId, null);
        Assert.True(start.StatusCode == HttpStatusCode.Created, await start.Content.ReadAsStringAsync());
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("challengeId").GetString()!;
        await OkAsync(await VerifyPasskeyAsync(tenant, id, passkey.Assert(await OptionsAsync(tenant, id), Origin)));
        return id;
    }

    protected Task<List<string>> AuditTypesAsync(string tenant) => Portal.AuditTypesAsync(tenant, "admin");

    protected static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }
}
