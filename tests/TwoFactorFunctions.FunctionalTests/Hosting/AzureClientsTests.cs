using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TwoFactorFunctions.Api.Hosting;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.FunctionalTests.Hosting;

/// <summary>The Azure SDK clients as registered from the Functions host's own <c>AzureWebJobsStorage</c> settings.</summary>
public sealed class AzureClientsTests
{
    [Fact]
    public void IdentityBasedConnection_UserAssignedIdentity_ClientsUseTheServiceUrisAndThatIdentity()
    {
        using var services = Build(new()
        {
            ["AzureWebJobsStorage:tableServiceUri"] = "https://acct.table.core.windows.net",
            ["AzureWebJobsStorage:queueServiceUri"] = "https://acct.queue.core.windows.net",
            ["AzureWebJobsStorage:credential"] = "managedidentity",
            ["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-0000000000c1",
        });

        Assert.Equal("acct", services.GetRequiredService<TableServiceClient>().AccountName);
        Assert.Equal(new Uri("https://acct.queue.core.windows.net"), services.GetRequiredService<QueueServiceClient>().Uri);
        Assert.IsType<ManagedIdentityCredential>(services.GetRequiredService<TokenCredential>());
    }

    [Fact]
    public void IdentityBasedConnection_AccountNameOnly_DerivesTheEndpointsAndUsesDefaultCredential()
    {
        using var services = Build(new() { ["AzureWebJobsStorage:accountName"] = "acct2" });

        Assert.Equal(new Uri("https://acct2.queue.core.windows.net"), services.GetRequiredService<QueueServiceClient>().Uri);
        Assert.Equal("acct2", services.GetRequiredService<TableServiceClient>().AccountName);
        Assert.IsType<DefaultAzureCredential>(services.GetRequiredService<TokenCredential>());
    }

    [Fact]
    public void ConnectionString_ClientsUseItAndTheRetrySettingsFromOnePlace()
    {
        using var services = Build(new()
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["AzureClients:Retry:MaxRetries"] = "4",
        });

        Assert.Equal("devstoreaccount1", services.GetRequiredService<TableServiceClient>().AccountName);
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<TableClientOptions>>().Get("Default");
        Assert.Equal(4, options.Retry.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Retry.NetworkTimeout);
    }

    [Fact]
    public async Task TableRequest_RetriedTwice_CountedThreeTimes()
    {
        // Nothing listens on port 1, so each attempt fails at once and the client's retries run.
        using var services = Build(new()
        {
            ["AzureWebJobsStorage"] = $"DefaultEndpointsProtocol=http;AccountName={AzuriteProcess.AccountName};AccountKey={AzuriteProcess.AccountKey};"
                + $"TableEndpoint=http://127.0.0.1:1/{AzuriteProcess.AccountName};",
            ["AzureClients:Retry:MaxRetries"] = "2",
            ["AzureClients:Retry:Delay"] = "00:00:00.010",
        });
        var counter = services.GetRequiredService<StorageRequestCounter>();

        // Azure.Core reports the failed attempts together (an AggregateException of each attempt's RequestFailedException).
        await Assert.ThrowsAnyAsync<Exception>(() =>
            services.GetRequiredService<TableServiceClient>().GetTableClient("t").GetEntityIfExistsAsync<TableEntity>("p", "r"));

        // Each attempt is a billed request, so the policy sits behind the retry policy and counts every one.
        Assert.Equal(3, counter.Total);
    }

    [Fact]
    public void NoStorageSetting_FailsAtStartWithTheSettingNames()
    {
        using var services = Build([]);

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => services.GetRequiredService<TableServiceClient>());
        Assert.Contains("AzureWebJobsStorage__tableServiceUri", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddStorageClients();
        return builder.Services.BuildServiceProvider();
    }
}
