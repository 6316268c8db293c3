namespace TwoFactorFunctions.FunctionalTests.Hosting;

/// <summary>
/// A private in-memory Azurite on ports it binds itself for the hosting tests (other suites run at the same time on
/// the same machine, so never the well-known ports). Each test app gets its own table/queue prefix on it.
/// </summary>
public sealed class HostingAzurite : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    public string ConnectionString => _azurite?.ConnectionString ?? throw new InvalidOperationException("Azurite is not started.");

    public static string RepoRoot => RepoPaths.Root;

    public async Task InitializeAsync() => _azurite = await AzuriteProcess.StartNewAsync();

    public Task DisposeAsync()
    {
        _azurite?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A fresh table/queue prefix (lower-case letters, as <c>Storage:Prefix</c> requires).</summary>
    public static string NewPrefix() =>
        "h" + string.Concat(Guid.NewGuid().ToString("N").Where(char.IsAsciiLetterLower).Concat("abcdefgh").Take(8));
}

[CollectionDefinition(Name)]
public sealed class HostingGroup : ICollectionFixture<HostingAzurite>
{
    public const string Name = "hosting";
}
