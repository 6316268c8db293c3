using System.Collections.Concurrent;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TwoFactorFunctions.App.Hosting;
using TwoFactorFunctions.Infrastructure.Queues;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.FunctionalTests.Hosting;

/// <summary>The real app on the test server, against the hosting Azurite, with its own prefix and a fake clock.</summary>
public sealed class HostingAppFactory(
    HostingAzurite azurite,
    bool underFunctionsHost = false,
    Action<IServiceCollection>? services = null,
    IReadOnlyDictionary<string, string?>? settings = null,
    string environment = "Development") : WebApplicationFactory<Program>
{
    public const string DevFunctionKey = "dev-function-key";

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 30, 0, TimeSpan.Zero));

    public string Prefix { get; } = HostingAzurite.NewPrefix();

    public TableStorage Tables => Services.GetRequiredService<TableStorage>();

    public QueueStorage Queues => Services.GetRequiredService<QueueStorage>();

    /// <summary>Waits for the app's tables, so a test can write before its first request.</summary>
    public Task ReadyAsync() => Services.GetRequiredService<StorageInitializer>().Ready.WaitAsync(TimeSpan.FromSeconds(30));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("AzureWebJobsStorage", azurite.ConnectionString);
        builder.UseSetting("Storage:Prefix", Prefix);
        builder.UseSetting("Demo:Seed", "false");
        if (underFunctionsHost)
        {
            builder.UseSetting(CustomHandlerHosting.PortVariable, "7071");
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<TimeProvider>(Time);
            services?.Invoke(s);
        });
    }
}

/// <summary>A queue function that does real work: it writes a row per message, and records what it was given.</summary>
public sealed class RecordingQueueHandler(TableStorage storage) : IQueueHandler
{
    public const string Name = "TestRecorder";

    public ConcurrentQueue<QueueDelivery> Deliveries { get; } = new();

    public string Queue => "test-recorder";

    public string FunctionName => Name;

    public async Task HandleAsync(QueueDelivery delivery, CancellationToken cancellationToken)
    {
        await storage.Runs.UpsertEntityAsync(new TableEntity("queue-test", delivery.MessageId ?? Guid.NewGuid().ToString("N"))
        {
            ["Text"] = delivery.MessageText,
            ["DequeueCount"] = delivery.DequeueCount,
        }, TableUpdateMode.Replace, cancellationToken);
        Deliveries.Enqueue(delivery);
    }
}

/// <summary>A queue function that always fails, with a message that must not reach the caller.</summary>
public sealed class ThrowingQueueHandler : IQueueHandler
{
    public const string Name = "TestThrower";
    public const string SecretDetail = "secret-detail-0123456789";

    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public string Queue => "test-thrower";

    public string FunctionName => Name;

    public Task HandleAsync(QueueDelivery delivery, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        throw new InvalidOperationException(SecretDetail);
    }
}
