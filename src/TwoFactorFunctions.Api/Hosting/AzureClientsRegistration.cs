using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using TwoFactorFunctions.Api.Hosting.Options;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.Api.Hosting;

public static class AzureClientsRegistration
{
    /// <summary>
    /// The Azure SDK clients, through the SDK's own registration (<c>AddAzureClients</c>): the Table and Queue service
    /// clients of the <c>AzureWebJobsStorage</c> connection, one credential built from that section by the SDK's
    /// component factory (managed identity with <c>__credential</c>/<c>__clientId</c>, otherwise
    /// <c>DefaultAzureCredential</c>), and the retry settings of every client here, overridable under <c>AzureClients</c>.
    /// </summary>
    public static IHostApplicationBuilder AddStorageClients(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;
        var section = config.GetSection(StorageConnection.SectionName);

        services.AddValidatedOptions<StorageConnection, StorageConnectionRules>(section);
        services.PostConfigure<StorageConnection>(o => o.ConnectionString ??= section.Value);

        // One credential for storage, ACS and the Durable engine: the identity the app runs as. (Not also handed to
        // UseCredential: the component factory falls back to that one, so it would be asked to build itself.)
        services.AddSingleton<TokenCredential>(sp => sp.GetRequiredService<AzureComponentFactory>().CreateTokenCredential(section));
        services.AddSingleton<StorageRequestCounter>();

        services.AddAzureClients(clients =>
        {
            // Short on purpose: a request should answer 503 quickly rather than hang on an unreachable account.
            clients.ConfigureDefaults(o =>
            {
                o.Retry.Mode = RetryMode.Exponential;
                o.Retry.MaxRetries = 2;
                o.Retry.Delay = TimeSpan.FromMilliseconds(200);
                o.Retry.MaxDelay = TimeSpan.FromSeconds(2);
                o.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
            });
            clients.ConfigureDefaults(config.GetSection("AzureClients"));

            clients.AddClient<TableServiceClient, TableClientOptions>((options, _, sp) =>
            {
                // Every attempt, retries included: requests per sign-in is what the storage layout is measured by.
                options.AddPolicy(sp.GetRequiredService<StorageRequestCounter>(), HttpPipelinePosition.PerRetry);
                var connection = sp.GetRequiredService<StorageConnection>();
                return connection.UsesConnectionString
                    ? new TableServiceClient(connection.ConnectionString, options)
                    : new TableServiceClient(connection.TableEndpoint, sp.GetRequiredService<TokenCredential>(), options);
            });

            // Read by the task hub's health check; the Durable engines keep their own clients, tuned for their polling.
            clients.AddClient<QueueServiceClient, QueueClientOptions>((options, _, sp) =>
            {
                var connection = sp.GetRequiredService<StorageConnection>();
                return connection.UsesConnectionString
                    ? new QueueServiceClient(connection.ConnectionString, options)
                    : new QueueServiceClient(connection.QueueEndpoint, sp.GetRequiredService<TokenCredential>(), options);
            });
        });

        return builder;
    }
}
