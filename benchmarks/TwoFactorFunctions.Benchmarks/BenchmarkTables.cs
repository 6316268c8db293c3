using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace TwoFactorFunctions.Benchmarks;

/// <summary>What the benchmarks build without the app's host: a patient table client and a meter factory.</summary>
internal static class BenchmarkTables
{
    /// <summary>Seeding hundreds of thousands of rows keeps Azurite busy: long timeouts and more retries than the app's.</summary>
    public static TableServiceClient Client(string connectionString, TimeSpan networkTimeout)
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 5;
        options.Retry.NetworkTimeout = networkTimeout;
        return new TableServiceClient(connectionString, options);
    }

    public static ServiceProvider Meters() => new ServiceCollection().AddMetrics().BuildServiceProvider();
}
