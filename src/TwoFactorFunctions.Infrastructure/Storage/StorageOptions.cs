namespace TwoFactorFunctions.Infrastructure.Storage;

/// <summary>How the app names its tables (<c>Storage</c> section). Where they live is <see cref="StorageConnection"/>.</summary>
public sealed class StorageOptions
{
    /// <summary>Prefix for every table name, so several deployments (or test runs) can share an account.</summary>
    public string Prefix { get; set; } = "tff";

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrEmpty(Prefix) || Prefix.Length > 20 || !Prefix.All(char.IsAsciiLetterLower))
        {
            yield return "Storage:Prefix must be 1-20 lower-case letters (it starts table names).";
        }
    }
}
