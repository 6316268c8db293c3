using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TwoFactorFunctions.Api.Hosting;
using TwoFactorFunctions.FunctionalTests.Support;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.FunctionalTests.Hosting;

/// <summary>The real standalone app on the test server, against the hosting Azurite, with its own prefix and a fake clock.</summary>
public sealed class HostingAppFactory(
    HostingAzurite azurite,
    Action<IServiceCollection>? services = null,
    IReadOnlyDictionary<string, string?>? settings = null,
    string environment = "Development") : WebApplicationFactory<Program>
{
    public const string DevFunctionKey = "dev-function-key";

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 30, 0, TimeSpan.Zero));

    public string Prefix { get; } = HostingAzurite.NewPrefix();

    public TableStorage Tables => Services.GetRequiredService<TableStorage>();

    /// <summary>Waits for the app's tables, so a test can write before its first request.</summary>
    public Task ReadyAsync() => Services.GetRequiredService<StorageInitializer>().Ready.WaitAsync(TimeSpan.FromSeconds(30));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        TestAppSettings.Storage(azurite.ConnectionString, Prefix)
            .With(new Dictionary<string, string?> { ["DurableHubName"] = Prefix + "hub", ["Demo:Seed"] = "false" })
            .With(settings)
            .ApplyTo(builder);

        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<TimeProvider>(Time);
            services?.Invoke(s);
        });
    }
}
