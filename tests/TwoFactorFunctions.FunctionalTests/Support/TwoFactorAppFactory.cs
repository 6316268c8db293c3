using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TwoFactorFunctions.FunctionalTests.Infrastructure;

namespace TwoFactorFunctions.FunctionalTests.Support;

/// <summary>
/// The real app in-process, on the shared real Azurite and MailDev, with a fake clock and captured logs.
/// Each factory uses its own table prefix so suites do not see each other's rows.
/// </summary>
public sealed class TwoFactorAppFactory(TestServices services, string prefix, IDictionary<string, string?>? settings = null, string environment = "Testing")
    : WebApplicationFactory<Program>
{
    /// <summary>A key for every tenant (a portal serving all its companies).</summary>
    public const string PortalKey = "test-portal-key";

    /// <summary>A key scoped to the one tenant <see cref="ScopedTenant"/>.</summary>
    public const string ScopedKey = "test-scoped-key";

    public const string ScopedTenant = "scoped-a";

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public CapturedLogs Logs { get; } = Tracked(new CapturedLogs());

    public TestServices Infra => services;

    /// <summary>Service changes a test needs on top of the app's own (an in-memory telemetry exporter, say).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    public string Prefix => prefix;

    public HttpClient CreatePortalClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("x-functions-key", PortalKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // "Development" where a test needs the dev outbox for SMS and voice codes.
        builder.UseEnvironment(environment);
        Settings().ApplyTo(builder);

        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        builder.ConfigureServices(s => s.AddSingleton<TimeProvider>(Time));
        if (ConfigureServices is not null)
        {
            builder.ConfigureServices(ConfigureServices);
        }
    }

    public const string PasskeyRelyingPartyId = "portal.example";

    public const string PasskeyOrigin = "https://portal.example";

    /// <summary>The app's settings (storage, secrets, the two keys, SMTP), for a test that builds a host of its own.</summary>
    public Dictionary<string, string?> Settings() =>
        TestAppSettings.Storage(services.Azurite.ConnectionString, prefix)
            .With(TestAppSettings.Smtp(services.MailDev.SmtpPort))
            .With(new Dictionary<string, string?>
            {
                ["TwoFactor:CodeHashSecret"] = TestAppSettings.NewSecret(),
                ["TwoFactor:TotpEncryptionKey"] = TestAppSettings.NewSecret(),
                // The portal the passkeys belong to (a test's software authenticator signs this origin).
                ["TwoFactor:Passkeys:RelyingPartyId"] = PasskeyRelyingPartyId,
                ["TwoFactor:Passkeys:Origins:0"] = PasskeyOrigin,
                ["FunctionKeys:Keys:0:Name"] = "portal",
                ["FunctionKeys:Keys:0:Sha256"] = Hash(PortalKey),
                ["FunctionKeys:Keys:1:Name"] = "scoped",
                ["FunctionKeys:Keys:1:Sha256"] = Hash(ScopedKey),
                ["FunctionKeys:Keys:1:Tenants:0"] = ScopedTenant,
                ["Messaging:ProductName"] = "Acme Portal",
                ["Messaging:SecurityAlertAddress"] = "security@platform.example",
            })
            .With(settings);

    private static CapturedLogs Tracked(CapturedLogs logs)
    {
        SecretScan.Track(logs);
        SecretScan.Saw(PortalKey);
        SecretScan.Saw(ScopedKey);
        return logs;
    }

    public static string Hash(string key) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
