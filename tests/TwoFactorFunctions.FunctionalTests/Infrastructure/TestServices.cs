namespace TwoFactorFunctions.FunctionalTests.Infrastructure;

/// <summary>Puts a test class in the collection that shares one Azurite and one MailDev.</summary>
/// <remarks>
/// xunit 2 has no assembly-wide fixtures, so "one instance per test run" means every test class that needs the
/// services joins this collection (<c>[Collection(ServicesGroup.Name)]</c>). Tests in one collection run
/// one after another, so a test may stop and restart Azurite without disturbing a concurrent test.
/// </remarks>
[CollectionDefinition(Name)]
public sealed class ServicesGroup : ICollectionFixture<TestServices>
{
    public const string Name = "services";
}

/// <summary>The real local services behind the functional tests: Azurite (in memory) and MailDev.</summary>
public sealed class TestServices : IAsyncLifetime
{
    public AzuriteProcess Azurite { get; } = new();

    public MailDevProcess MailDev { get; } = new();

    /// <summary>Connection string for Azure Table/Queue/Blob clients against <see cref="Azurite"/>.</summary>
    public string StorageConnectionString => Azurite.ConnectionString;

    /// <summary>Reads what was sent to <see cref="MailDev"/>.</summary>
    public MailDevClient Mail => MailDev.Client;

    public async Task InitializeAsync()
    {
        try
        {
            // Both take seconds to boot; starting them side by side roughly halves the wait.
            await Task.WhenAll(Azurite.StartAsync(), MailDev.StartAsync()).ConfigureAwait(false);
        }
        catch
        {
            // Don't count on xunit disposing a fixture whose initialization failed: one tool may be up already.
            StopAll();
            throw;
        }
    }

    public Task DisposeAsync()
    {
        StopAll();

        // The run-wide secrecy check: every log line of every app instance against every code, token and key seen.
        var leaks = Support.SecretScan.Leaks();
        if (leaks.Count > 0)
        {
            throw new InvalidOperationException($"Secrets found in logs ({leaks.Count}):\n" + string.Join("\n", leaks.Take(20)));
        }

        return Task.CompletedTask;
    }

    private void StopAll()
    {
        MailDev.Dispose();
        Azurite.Dispose();
    }
}
