using System.Globalization;

namespace TwoFactorFunctions.FunctionalTests.Infrastructure;

/// <summary>Azurite (blob, queue and table emulator) on free 127.0.0.1 ports.</summary>
public sealed class AzuriteProcess : IDisposable
{
    public const string Host = "127.0.0.1";

    /// <summary>Azurite's built-in development account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The publicly documented key of Azurite's development account (not a secret).</summary>
    public const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly TempDirectory workspace = new("twofactor-azurite-");
    private readonly NodeProcess node;

    /// <param name="keepDataAcrossRestarts">
    /// False (the default) keeps all data in memory, so a <see cref="Stop"/>/<see cref="StartAsync"/> cycle comes back
    /// empty, like a fresh account. True persists to a private temporary folder instead, so data survives the cycle
    /// (what a real storage outage looks like).
    /// </param>
    public AzuriteProcess(bool keepDataAcrossRestarts = false)
    {
        var ports = FreePort.Next(3);
        BlobPort = ports[0];
        QueuePort = ports[1];
        TablePort = ports[2];

        List<string> arguments =
        [
            "--blobHost", Host, "--blobPort", Invariant(BlobPort),
            "--queueHost", Host, "--queuePort", Invariant(QueuePort),
            "--tableHost", Host, "--tablePort", Invariant(TablePort),
            "--silent",
            "--skipApiVersionCheck",
            "--disableProductStyleUrl",
            "--loose",
            // Azurite otherwise sends usage telemetry to the internet.
            "--disableTelemetry",
        ];
        // Azurite refuses --location together with --inMemoryPersistence. The in-memory instance still runs in the
        // scratch folder, so anything it writes to its working directory stays out of the repository.
        arguments.AddRange(keepDataAcrossRestarts ? ["--location", workspace.Path] : ["--inMemoryPersistence"]);

        node = new NodeProcess("Azurite", "azurite", arguments, ports, workingDirectory: workspace.Path);
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    public Uri BlobEndpoint => Endpoint(BlobPort);

    public Uri QueueEndpoint => Endpoint(QueuePort);

    public Uri TableEndpoint => Endpoint(TablePort);

    /// <summary>Connection string for the Azure SDK clients, pointing at this instance's ports.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};"
        + $"BlobEndpoint={BlobEndpoint};QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint};";

    public bool IsRunning => node.IsRunning;

    /// <summary>Recent Azurite output, for failure messages.</summary>
    public string Output => node.Output;

    /// <summary>Creates and starts an instance, disposing it if it fails to start.</summary>
    public static async Task<AzuriteProcess> StartNewAsync(
        bool keepDataAcrossRestarts = false, CancellationToken cancellationToken = default)
    {
        var azurite = new AzuriteProcess(keepDataAcrossRestarts);
        try
        {
            await azurite.StartAsync(cancellationToken).ConfigureAwait(false);
            return azurite;
        }
        catch
        {
            azurite.Dispose();
            throw;
        }
    }

    /// <summary>Starts Azurite (again) on this instance's ports and waits until all three services accept connections.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => node.StartAsync(cancellationToken);

    /// <summary>Shuts Azurite down cleanly (saving persisted data); <see cref="StartAsync"/> brings it back on the same ports.</summary>
    public void Stop(TimeSpan? gracePeriod = null) => node.Stop(gracePeriod);

    /// <summary>Kills Azurite at once, like a crash; persisted data loses its last few seconds of writes.</summary>
    public void Kill() => node.Kill();

    public void Dispose()
    {
        node.Dispose();
        workspace.Dispose();
    }

    private static Uri Endpoint(int port) => new($"http://{Host}:{Invariant(port)}/{AccountName}");

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
