using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace TwoFactorFunctions.TestSupport;

/// <summary>
/// A dev server from node_modules (Azurite, MailDev) run as a child process listening on 127.0.0.1. It can be
/// stopped and started again, on the same ports if the caller passes them, which is what outage tests need.
/// </summary>
/// <remarks>
/// The tool is run as <c>node &lt;entry script&gt;</c> rather than through node_modules/.bin: on Windows the .bin
/// entries are .cmd wrappers that need a shell, and a shell in between would sit between us and the process we
/// signal, wait for and kill.
/// </remarks>
public sealed class NodeProcess : IDisposable
{
    private const int OutputBudgetChars = 64 * 1024;

    // Safety net for a test run that ends without disposing its fixtures (e.g. an unhandled exception on another
    // thread). A hard kill of the test host never runs this handler; exit-with-parent.cjs covers that case.
    private static readonly ConcurrentDictionary<NodeProcess, byte> running = new();

    private readonly IReadOnlyList<string> nodeOptions;
    private readonly string workingDirectory;
    private readonly Action<IDictionary<string, string?>>? configureEnvironment;
    private readonly BoundedLog output = new(OutputBudgetChars);
    private readonly Lock gate = new();
    private Process? process;
    private Action<string>? watcher;
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
    /// <param name="workingDirectory">Working directory for the tool; defaults to the repository root.</param>
    /// <param name="startupTimeout">How long to wait for the ports; defaults to 30 seconds.</param>
    /// <param name="configureEnvironment">Edits the tool's environment, which starts as a copy of the test host's.</param>
    /// <param name="nodeOptions">Options for node itself, before the script (e.g. a larger heap).</param>
    public NodeProcess(
        string name,
        string packageName,
        string? workingDirectory = null,
        TimeSpan? startupTimeout = null,
        Action<IDictionary<string, string?>>? configureEnvironment = null,
        IEnumerable<string>? nodeOptions = null)
    {
        Name = name;
        PackageName = packageName;
        this.workingDirectory = workingDirectory ?? RepoPaths.Root;
        StartupTimeout = startupTimeout ?? TimeSpan.FromSeconds(30);
        this.configureEnvironment = configureEnvironment;
        this.nodeOptions = [.. nodeOptions ?? []];
    }

    public string Name { get; }

    public string PackageName { get; }

    public TimeSpan StartupTimeout { get; }

    /// <summary>True between a start and <see cref="Stop"/> or <see cref="Kill"/>, unless the tool died.</summary>
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

    /// <summary>CPU time the running tool has used so far (user + system): shows whether a run was bound by it.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            lock (gate)
            {
                if (process is null)
                {
                    return TimeSpan.Zero;
                }

                process.Refresh();
                return process.TotalProcessorTime;
            }
        }
    }

    /// <summary>Starts the tool on ports the caller chose and waits until every one accepts TCP connections.</summary>
    /// <exception cref="PortInUseException">A port is already taken, before or during startup.</exception>
    /// <exception cref="InvalidOperationException">The tool exited during startup.</exception>
    /// <exception cref="TimeoutException">The ports did not open within <see cref="StartupTimeout"/>.</exception>
    public async Task StartAsync(IEnumerable<string> arguments, IReadOnlyList<int> ports, CancellationToken cancellationToken = default)
    {
        // A port that already answers belongs to someone else; waiting for it would "succeed" against the wrong server.
        foreach (var port in ports)
        {
            if (await Loopback.AcceptsConnectionsAsync(port, cancellationToken).ConfigureAwait(false))
            {
                throw new PortInUseException($"{Name} cannot start: {Loopback.Host}:{port} is already in use by another process.");
            }
        }

        await StartAsync(arguments, ports, announced: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts the tool with arguments asking it to bind port 0 and returns the first <paramref name="count"/> output
    /// lines matching <paramref name="listening"/> (whose group "port" is a port), once those ports accept
    /// connections. Nothing can take a port between choosing and binding it, as the OS does both.
    /// </summary>
    public async Task<IReadOnlyList<Match>> StartOnPortZeroAsync(
        IEnumerable<string> arguments, Regex listening, int count, CancellationToken cancellationToken = default)
    {
        var announcements = new PortAnnouncements(listening, count);
        await StartAsync(arguments, announcements.Ports, (announcements.Watch, announcements.All), cancellationToken).ConfigureAwait(false);
        return announcements.Matches;
    }

    private async Task StartAsync(
        IEnumerable<string> arguments,
        IReadOnlyList<int> ports,
        (Action<string> Watch, Task Announced)? announced,
        CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var entryScript = RepoPaths.NodeEntryScript(PackageName);
        var startInfo = new ProcessStartInfo("node")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var option in nodeOptions)
        {
            startInfo.ArgumentList.Add(option);
        }

        startInfo.ArgumentList.Add("--require");
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "exit-with-parent.cjs"));
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
            watcher = announced?.Watch;
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
            var clock = Stopwatch.StartNew();
            if (announced is { } a)
            {
                await WaitAsync(started, () => Task.FromResult(a.Announced.IsCompleted), "reported its ports", clock, commandLine, cancellationToken)
                    .ConfigureAwait(false);
            }

            foreach (var port in ports)
            {
                await WaitAsync(started, () => Loopback.AcceptsConnectionsAsync(port, cancellationToken), $"accepted connections on {Loopback.Host}:{port}", clock, commandLine, cancellationToken)
                    .ConfigureAwait(false);
            }
        }
        catch
        {
            Kill();
            throw;
        }
        finally
        {
            lock (gate)
            {
                watcher = null;
            }
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

    private async Task WaitAsync(
        Process started, Func<Task<bool>> ready, string what, Stopwatch clock, string commandLine, CancellationToken cancellationToken)
    {
        while (!await ready().ConfigureAwait(false))
        {
            if (started.HasExited)
            {
                // Node tools report a taken port as EADDRINUSE and exit: a caller that chose the port can retry with another.
                started.WaitForExit();
                var message = $"{Name} exited with code {started.ExitCode} before it {what}." + Diagnostics(commandLine);
                throw Output.Contains("EADDRINUSE", StringComparison.Ordinal)
                    ? new PortInUseException(message)
                    : new InvalidOperationException(message);
            }

            if (clock.Elapsed > StartupTimeout)
            {
                throw new TimeoutException(
                    $"{Name} had not {what} within {StartupTimeout.TotalSeconds:0} s." + Diagnostics(commandLine));
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
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
        if (line is null)
        {
            return;
        }

        output.Append(line);
        Action<string>? watching;
        lock (gate)
        {
            watching = watcher;
        }

        watching?.Invoke(line);
    }
}
