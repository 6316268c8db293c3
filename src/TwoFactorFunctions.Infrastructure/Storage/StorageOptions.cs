namespace TwoFactorFunctions.Infrastructure.Storage;

/// <summary>
/// Where the app's tables (and, standalone, the Durable task hub's queues, tables and blobs) live. Either a connection
/// string (Azurite, or keys), or service URIs used with a <c>TokenCredential</c> (managed identity in Azure, where
/// shared-key access is switched off).
/// </summary>
public sealed class StorageOptions
{
    public string? ConnectionString { get; set; }

    public Uri? TableServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    public Uri? BlobServiceUri { get; set; }

    /// <summary>Prefix for every table name, so several deployments (or test runs) can share an account.</summary>
    public string Prefix { get; set; } = "tff";

    /// <summary>Kept short on purpose: a request should answer 503 quickly rather than hang on a dead storage account.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public int MaxRetries { get; set; } = 2;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) && TableServiceUri is null)
        {
            yield return "Storage needs AzureWebJobsStorage (a connection string) or AzureWebJobsStorage__tableServiceUri.";
        }

        if (string.IsNullOrEmpty(Prefix) || Prefix.Length > 20 || !Prefix.All(char.IsAsciiLetterLower) )
        {
            yield return "Storage:Prefix must be 1-20 lower-case letters (it starts table names).";
        }
    }
}
