using System.Globalization;
using System.Text.RegularExpressions;

namespace TwoFactorFunctions.TestSupport;

/// <summary>Azurite (blob, queue and table emulator) on 127.0.0.1 ports it binds itself.</summary>
/// <remarks>
/// The first start asks Azurite for port 0 on every service and reads the ports it reports ("Azurite Table service is
/// successfully listening at http://127.0.0.1:NNNN"): choosing a free port here and handing it over would leave a
/// window in which another process takes it (CI saw EADDRINUSE on a busy machine). Later starts reuse those ports,
/// so connection strings handed out stay valid across an outage; only a process that grabs the very port during the
/// outage could break that, and the start then fails with <see cref="PortInUseException"/> rather than hangs.
/// </remarks>
public sealed partial class AzuriteProcess : IDisposable
{
    public const string Host = "127.0.0.1";

    /// <summary>Azurite's built-in development account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The publicly documented key of Azurite's development account (not a secret).</summary>
    public const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly TempDirectory workspace = new("twofactor-azurite-");
    private readonly NodeProcess node;
    private readonly bool keepDataAcrossRestarts;
    private int[]? ports;

    /// <param name="keepDataAcrossRestarts">
    /// False (the default) keeps all data in memory, so a <see cref="Stop"/>/<see cref="StartAsync"/> cycle comes back
    /// empty, like a fresh account. True persists to a private temporary folder instead, so data survives the cycle
    /// (what a real storage outage looks like).
    /// </param>
    /// <param name="nodeOptions">Options for node itself, e.g. a larger heap for a million-row table.</param>
    public AzuriteProcess(bool keepDataAcrossRestarts = false, IEnumerable<string>? nodeOptions = null)
    {
        this.keepDataAcrossRestarts = keepDataAcrossRestarts;
        node = new NodeProcess("Azurite", "azurite", workingDirectory: workspace.Path, nodeOptions: nodeOptions);
    }

    public int BlobPort => Ports[0];

    public int QueuePort => Ports[1];

    public int TablePort => Ports[2];

    public Uri BlobEndpoint => Endpoint(BlobPort);

    public Uri QueueEndpoint => Endpoint(QueuePort);

    public Uri TableEndpoint => Endpoint(TablePort);

    /// <summary>Connection string for the Azure SDK clients, pointing at this instance's ports.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};"
        + $"BlobEndpoint={BlobEndpoint};QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint};";

    public bool IsRunning => node.IsRunning;

    /// <summary>CPU time Azurite has used so far (user + system): shows whether a run was bound by storage or by the app.</summary>
    public TimeSpan CpuTime => node.CpuTime;

    /// <summary>Recent Azurite output, for failure messages.</summary>
    public string Output => node.Output;

    /// <summary>Creates and starts an instance, disposing it if it fails to start.</summary>
    public static async Task<AzuriteProcess> StartNewAsync(
        bool keepDataAcrossRestarts = false, IEnumerable<string>? nodeOptions = null, CancellationToken cancellationToken = default)
    {
        var azurite = new AzuriteProcess(keepDataAcrossRestarts, nodeOptions);
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

    /// <summary>
    /// Starts Azurite (on ports of its choosing the first time, on the same ports again after a stop) and waits until
    /// all three services accept connections.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (ports is { } known)
        {
            await node.StartAsync(Arguments(known), known, cancellationToken).ConfigureAwait(false);
            return;
        }

        var reported = await node.StartOnPortZeroAsync(Arguments([0, 0, 0]), Listening(), count: 3, cancellationToken)
            .ConfigureAwait(false);
        int PortOf(string service) => int.Parse(
            reported.Single(m => m.Groups["service"].Value == service).Groups["port"].Value, CultureInfo.InvariantCulture);
        try
        {
            ports = [PortOf("Blob"), PortOf("Queue"), PortOf("Table")];
        }
        catch (InvalidOperationException ex)
        {
            // Three announcements, but not one per service: an Azurite whose ports are unknown is of no use.
            node.Kill();
            throw new InvalidOperationException("Azurite did not report one port per service:" + Environment.NewLine + node.Output, ex);
        }
    }

    /// <summary>Shuts Azurite down cleanly (saving persisted data); <see cref="StartAsync"/> brings it back on the same ports.</summary>
    public void Stop(TimeSpan? gracePeriod = null) => node.Stop(gracePeriod);

    /// <summary>Kills Azurite at once, like a crash; persisted data loses its last few seconds of writes.</summary>
    public void Kill() => node.Kill();

    public void Dispose()
    {
        node.Dispose();
        workspace.Dispose();
    }

    private int[] Ports => ports ?? throw new InvalidOperationException("Azurite has not been started yet: its ports are chosen on the first start.");

    private List<string> Arguments(int[] servicePorts)
    {
        List<string> arguments =
        [
            "--blobHost", Host, "--blobPort", Invariant(servicePorts[0]),
            "--queueHost", Host, "--queuePort", Invariant(servicePorts[1]),
            "--tableHost", Host, "--tablePort", Invariant(servicePorts[2]),
            // Access logs off; the "successfully listening" lines the ports are read from are still printed.
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
        return arguments;
    }

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at http://127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex Listening();

    private static Uri Endpoint(int port) => new($"http://{Host}:{Invariant(port)}/{AccountName}");

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
