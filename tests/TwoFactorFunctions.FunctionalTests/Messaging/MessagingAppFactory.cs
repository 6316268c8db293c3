using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TwoFactorFunctions.Api.Hosting;
using TwoFactorFunctions.FunctionalTests.Infrastructure;
using TwoFactorFunctions.FunctionalTests.Support;
using TwoFactorFunctions.Infrastructure.Communication;

namespace TwoFactorFunctions.FunctionalTests.Messaging;

/// <summary>
/// The app in Development (the dev outbox and its endpoint exist only there) on the shared Azurite and MailDev, with
/// its own table prefix, captured logs, and (for ACS) an
/// in-memory RSA key standing in for the keys ACS publishes for its callback tokens.
/// </summary>
public sealed class MessagingAppFactory(TestServices services, IDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    /// <summary>The function key of appsettings.Development.json.</summary>
    public const string DevFunctionKey = "dev-function-key";

    public const string ResourceId = "3b8e3c1a-7d4f-4f8e-9a51-2c6d0e9b1f47";

    private static readonly RSA AcsKey = RSA.Create(2048);

    public CapturedLogs Logs { get; } = new();

    public static RsaSecurityKey SigningKey { get; } = new(AcsKey) { KeyId = "acs-test-1" };

    public HttpClient CreateKeyedClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("x-functions-key", DevFunctionKey);
        return client;
    }

    public async Task StorageReadyAsync() => await Services.GetRequiredService<StorageInitializer>().Ready.WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>A callback token as ACS issues it: RS256, ACS issuer, our resource as audience, five minutes.</summary>
    public static string CallbackToken(string audience = ResourceId, SecurityKey? key = null, DateTime? issuedAt = null)
    {
        var now = issuedAt ?? DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AcsOptions.DefaultCallbackIssuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            SigningCredentials = new SigningCredentials(key ?? SigningKey, SecurityAlgorithms.RsaSha256),
        });
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        var prefix = "msg" + new string(Guid.NewGuid().ToString("N").Where(char.IsAsciiLetter).Take(10).ToArray());
        TestAppSettings.Storage(services.StorageConnectionString, prefix)
            .With(TestAppSettings.Smtp(services.MailDev.SmtpPort))
            .With(new Dictionary<string, string?>
            {
                ["TwoFactor:CodeHashSecret"] = TestAppSettings.NewSecret(),
                ["Messaging:ProductName"] = "Acme Portal",
            })
            .With(settings)
            .ApplyTo(builder);

        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        builder.ConfigureTestServices(services =>
            services.AddSingleton<IAcsSigningKeys>(new StaticSigningKeys(new RsaSecurityKey(AcsKey.ExportParameters(false)) { KeyId = SigningKey.KeyId })));
    }

    private sealed class StaticSigningKeys(SecurityKey key) : IAcsSigningKeys
    {
        public Task<IReadOnlyCollection<SecurityKey>> GetAsync(bool refresh, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyCollection<SecurityKey>>([key]);
    }
}
