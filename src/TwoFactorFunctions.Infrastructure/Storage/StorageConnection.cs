namespace TwoFactorFunctions.Infrastructure.Storage;

/// <summary>
/// The storage account, read from the <c>AzureWebJobsStorage</c> section exactly as the Functions host reads it: the
/// section's value is a connection string (Azurite, keys), or its children describe an identity-based connection
/// (<c>AzureWebJobsStorage__tableServiceUri</c>, <c>__queueServiceUri</c>, <c>__blobServiceUri</c> or
/// <c>__accountName</c>, with <c>__credential=managedidentity</c> and <c>__clientId</c> for a user-assigned identity).
/// The app's tables, the health checks and the standalone Durable engine all use this one connection.
/// </summary>
public sealed class StorageConnection
{
    public const string SectionName = "AzureWebJobsStorage";

    /// <summary>The section's own value (<c>AzureWebJobsStorage=...</c>); not bindable as a property, so set after binding.</summary>
    public string? ConnectionString { get; set; }

    public string? AccountName { get; set; }

    public Uri? TableServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    public Uri? BlobServiceUri { get; set; }

    public bool UsesConnectionString => !string.IsNullOrWhiteSpace(ConnectionString);

    public Uri TableEndpoint => TableServiceUri ?? Derived("table");

    public Uri QueueEndpoint => QueueServiceUri ?? Derived("queue");

    public Uri BlobEndpoint => BlobServiceUri ?? Derived("blob");

    private Uri Derived(string service) => string.IsNullOrWhiteSpace(AccountName)
        ? throw new InvalidOperationException($"AzureWebJobsStorage__{service}ServiceUri (or __accountName) is not set.")
        : new Uri($"https://{AccountName}.{service}.core.windows.net");
}
