using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace TwoFactorFunctions.FunctionalTests.Infrastructure;

/// <summary>
/// A dev server from node_modules (Azurite, MailDev) run as a child process listening on fixed 127.0.0.1 ports.
/// It can be stopped and started again on the same ports, which is what outage tests need.
/// </summary>
/// <remarks>
/// The tool is run as <c>node &lt;entry script&gt;</c> rather than through node_modules/.bin: on Windows the .bin
/// entries are .cmd wrappers that need a shell, and a shell in between would sit between us and the process we
/// signal, wait for and kill.
/// </remarks>
public sealed class NodeProcess : IDisposable
{
    private const string Loopback = "127.0.0.1";
    private const int OutputBudgetChars = 64 * 1024;

    // Safety net for a test run that ends without disposing its fixtures (e.g. an unhandled exception on another
    // thread). A hard kill of the test host never runs this handler; exit-with-parent.cjs covers that case.
    private static readonly ConcurrentDictionary<NodeProcess, byte> running = new();

    private readonly IReadOnlyList<string> arguments;
    private readonly string workingDirectory;
    private readonly Action<IDictionary<string, string?>>? configureEnvironment;
    private readonly BoundedLog output = new(OutputBudgetChars);
    private readonly Lock gate = new();
    private Process? process;
    private bool disposed;

    static NodeProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var node in running.Keys)
            {
                node.Kill();
            }
        };
    }

    /// <param name="name">Name used in diagnostics, e.g. "Azurite".</param>
    /// <param name="packageName">npm package in the repository's node_modules whose "bin" script is run.</param>
    /// <param name="arguments">Command-line arguments for the tool.</param>
    /// <param name="ports">127.0.0.1 ports the tool listens on; it counts as started once all accept connections.</param>
    /// <param name="workingDirectory">Working directory for the tool; defaults to the repository root.</param>
    /// <param name="startupTimeout">How long to wait for the ports; defaults to 30 seconds.</param>
    /// <param name="configureEnvironment">Edits the tool's environment, which starts as a copy of the test host's.</param>
    public NodeProcess(
        string name,
        string packageName,
        IEnumerable<string> arguments,
        IEnumerable<int> ports,
        string? workingDirectory = null,
        TimeSpan? startupTimeout = null,
        Action<IDictionary<string, string?>>? configureEnvironment = null)
    {
        Name = name;
        PackageName = packageName;
        this.arguments = [.. arguments];
        Ports = [.. ports];
        this.workingDirectory = workingDirectory ?? RepoPaths.Root;
        StartupTimeout = startupTimeout ?? TimeSpan.FromSeconds(30);
        this.configureEnvironment = configureEnvironment;
    }

    public string Name { get; }

    public string PackageName { get; }

    public IReadOnlyList<int> Ports { get; }

    public TimeSpan StartupTimeout { get; }

    /// <summary>True between <see cref="StartAsync"/> and <see cref="Stop"/> or <see cref="Kill"/>, unless the tool died.</summary>
    public bool IsRunning
    {
        get
        {
            lock (gate)
            {
                return process is { HasExited: false };
            }
        }
    }

    /// <summary>The tail of the tool's stdout and stderr across all starts, for failure messages.</summary>
    public string Output => output.ToString();

    /// <summary>Starts the tool and waits until every port accepts TCP connections.</summary>
    /// <exception cref="InvalidOperationException">A port is already taken, or the tool exited during startup.</exception>
    /// <exception cref="TimeoutException">The ports did not open within <see cref="StartupTimeout"/>.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var entryScript = ResolveEntryScript(PackageName);

        // A port that already answers belongs to someone else; waiting for it would "succeed" against the wrong server.
        foreach (var port in Ports)
        {
            if (await AcceptsConnectionsAsync(port, cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException(
                    $"{Name} cannot start: {Loopback}:{port} is already in use by another process.");
            }
        }

        var startInfo = new ProcessStartInfo("node")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.ArgumentList.Add("--require");
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Infrastructure", "exit-with-parent.cjs"));
        startInfo.ArgumentList.Add(entryScript);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        configureEnvironment?.Invoke(startInfo.Environment);

        var commandLine = string.Join(' ', startInfo.ArgumentList.Prepend(startInfo.FileName));
        var started = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        started.OutputDataReceived += (_, e) => Record(e.Data);
        started.ErrorDataReceived += (_, e) => Record(e.Data);
        started.Exited += (_, _) => Record($"[{Name} exited]");

        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (process is not null)
            {
                started.Dispose();
                throw new InvalidOperationException($"{Name} is already started.");
            }

            Record($"[starting {Name}: {commandLine}]");
            try
            {
                started.Start();
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                started.Dispose();
                throw new InvalidOperationException(
                    $"Could not run 'node' for {Name}; Node.js must be installed and on PATH.", ex);
            }

            started.BeginOutputReadLine();
            started.BeginErrorReadLine();
            process = started;
            running.TryAdd(this, 0);
        }

        try
        {
            await WaitForPortsAsync(started, commandLine, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Kill();
            throw;
        }
    }

    /// <summary>
    /// Asks the tool to shut down cleanly (it gets SIGTERM, see exit-with-parent.cjs) and waits until it has exited,
    /// so its ports are free again; kills it if it has not exited within <paramref name="gracePeriod"/> (default 10 s).
    /// </summary>
    /// <remarks>
    /// Use this for an orderly outage; Azurite keeping data on disk only keeps the last seconds of writes this way.
    /// </remarks>
    public void Stop(TimeSpan? gracePeriod = null)
    {
        var stopping = Detach();
        if (stopping is null)
        {
            return;
        }

        try
        {
            // Closing stdin is the stop request; it works the same on every OS, unlike signals.
            stopping.StandardInput.Close();
            if (!stopping.WaitForExit(gracePeriod ?? TimeSpan.FromSeconds(10)))
            {
                Record($"[{Name} did not stop in time; killing it]");
                KillTree(stopping);
            }
        }
        catch (IOException)
        {
            // The pipe was already broken because the tool is gone or going; make sure of it.
            KillTree(stopping);
        }
        finally
        {
            stopping.Dispose();
        }
    }

    /// <summary>Kills the tool and everything it spawned at once, like a crash, and waits until it has exited.</summary>
    public void Kill()
    {
        var killing = Detach();
        if (killing is null)
        {
            return;
        }

        try
        {
            KillTree(killing);
        }
        finally
        {
            killing.Dispose();
        }
    }

    /// <summary>Kills the tool (nothing a test leaves behind is worth a graceful shutdown) and stops restarts.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
        }

        Kill();
    }

    /// <summary>Full path of the script behind an npm package's "bin" entry in the repository's node_modules.</summary>
    /// <remarks>Read from the package's own package.json, so an upgrade that moves the script keeps working.</remarks>
    public static string ResolveEntryScript(string packageName, string? binName = null)
    {
        var packageDirectory = Path.Combine(RepoPaths.NodeModules, packageName);
        var manifestPath = Path.Combine(packageDirectory, "package.json");
        if (!File.Exists(manifestPath))
        {
            throw new FileNotFoundException(
                $"npm package '{packageName}' is not installed in {RepoPaths.NodeModules}. Run 'npm ci' at the "
                + "repository root (building the functional tests does this when node_modules is missing).",
                manifestPath);
        }

        using var manifest = JsonDocument.Parse(File.ReadAllText(manifestPath));
        string? relativePath = null;
        if (manifest.RootElement.TryGetProperty("bin", out var bin))
        {
            if (bin.ValueKind == JsonValueKind.String)
            {
                relativePath = bin.GetString();
            }
            else if (bin.ValueKind == JsonValueKind.Object && bin.TryGetProperty(binName ?? packageName, out var entry))
            {
                relativePath = entry.GetString();
            }
        }

        return relativePath is null
            ? throw new InvalidOperationException($"{manifestPath} declares no \"bin\" entry '{binName ?? packageName}'.")
            : Path.GetFullPath(Path.Combine(packageDirectory, relativePath));
    }

    private async Task WaitForPortsAsync(Process started, string commandLine, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        foreach (var port in Ports)
        {
            while (!await AcceptsConnectionsAsync(port, cancellationToken).ConfigureAwait(false))
            {
                if (started.HasExited)
                {
                    throw new InvalidOperationException(
                        $"{Name} exited with code {started.ExitCode} before {Loopback}:{port} accepted connections."
                        + Diagnostics(commandLine));
                }

                if (clock.Elapsed > StartupTimeout)
                {
                    throw new TimeoutException(
                        $"{Name} did not accept connections on {Loopback}:{port} within {StartupTimeout.TotalSeconds:0} s."
                        + Diagnostics(commandLine));
                }

                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private Process? Detach()
    {
        Process? detached;
        lock (gate)
        {
            detached = process;
            process = null;
        }

        if (detached is not null)
        {
            running.TryRemove(this, out _);
        }

        return detached;
    }

    private static void KillTree(Process target)
    {
        try
        {
            target.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It had already exited.
        }

        target.WaitForExit(TimeSpan.FromSeconds(10));
    }

    private string Diagnostics(string commandLine) =>
        $"{Environment.NewLine}Command: {commandLine}{Environment.NewLine}Output:{Environment.NewLine}{Output}";

    private void Record(string? line)
    {
        if (line is not null)
        {
            output.Append(line);
        }
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient(AddressFamily.InterNetwork);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, attempt.Token).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
