using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TwoFactorFunctions.FunctionalTests.Hosting;

/// <summary>
/// A private in-memory Azurite on free loopback ports for the hosting tests (other suites run at the same time on the
/// same machine, so never the well-known ports). Each test app gets its own table/queue prefix on it.
/// </summary>
public sealed class HostingAzurite : IAsyncLifetime
{
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private Process? _process;

    public string ConnectionString { get; private set; } = "";

    public static string RepoRoot { get; } = FindRepoRoot();

    public async Task InitializeAsync()
    {
        var script = Path.Combine(RepoRoot, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed at {script}: run `npm ci` in the repository root.");
        }

        var (blob, queue, table) = (FreePort(), FreePort(), FreePort());
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     script, "--inMemoryPersistence", "--silent", "--skipApiVersionCheck", "--loose",
                     "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                     "--blobPort", blob.ToString(), "--queuePort", queue.ToString(), "--tablePort", table.ToString(),
                 })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        await WaitForPortAsync(table);
        await WaitForPortAsync(queue);
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};" +
                           $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;" +
                           $"TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
        }

        _process?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A fresh table/queue prefix (lower-case letters, as <c>Storage:Prefix</c> requires).</summary>
    public static string NewPrefix() =>
        "h" + string.Concat(Guid.NewGuid().ToString("N").Where(char.IsAsciiLetterLower).Concat("abcdefgh").Take(8));

    private async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && _process is { HasExited: false })
            {
                await Task.Delay(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TwoFactorFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Repository root (TwoFactorFunctions.sln) not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class HostingGroup : ICollectionFixture<HostingAzurite>
{
    public const string Name = "hosting";
}
