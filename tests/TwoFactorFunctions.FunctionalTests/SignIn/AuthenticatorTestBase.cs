using System.Net.Http.Json;
using System.Text.Json;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.FunctionalTests.Infrastructure;
using TwoFactorFunctions.FunctionalTests.Support;

namespace TwoFactorFunctions.FunctionalTests.SignIn;

/// <summary>
/// What the authenticator tests share: the app on the shared Azurite and MailDev with its clock moved by the test, a
/// fresh tenant with an admin for each test, and the small calls they repeat.
/// </summary>
public abstract class AuthenticatorTestBase(TestServices services) : IAsyncLifetime, IDisposable
{
    protected static readonly FactorPolicy AppOnly = new() { Allowed = [Factor.Authenticator, Factor.RecoveryCode], Preferred = Factor.Authenticator };

    // Parallel tests issue more than the default 10 challenges per user per window.
    protected TwoFactorAppFactory App { get; } = new(services, "tfftotp", new Dictionary<string, string?> { ["TwoFactor:MaxChallengesPerWindow"] = "100" });

    protected TestServices Services => services;

    protected PortalApi Portal { get; private set; } = null!;

    protected string Tenant { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Portal = new PortalApi(App);
        Tenant = PortalApi.NewTenantId("totp");
        await Portal.CreateTenantAsync(Tenant);
        await Portal.CreateUserAsync(Tenant, "admin", role: "Admin");
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    public void Dispose()
    {
        App.Dispose();
        GC.SuppressFinalize(this);
    }

    protected async Task<string> ChallengeAsync(string userId) =>
        (await Portal.SignInAsync(Tenant, userId)).GetProperty("challenge").GetProperty("challengeId").GetString()!;

    protected Task<HttpResponseMessage> SettingsAsync(object body) => Portal.UpdateSettingsAsync(Tenant, "admin", body);

    protected Task<List<string>> AuditTypesAsync() => Portal.AuditTypesAsync(Tenant, "admin");
}
