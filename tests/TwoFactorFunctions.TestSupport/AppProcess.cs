using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TwoFactorFunctions.TestSupport;

/// <summary>
/// The built app as a real OS process (<c>dotnet TwoFactorFunctions.App.dll</c>), standalone with its own Durable Task
/// worker, so a test can SIGKILL or SIGTERM it mid-run or run two of them on one task hub, and a benchmark measures
/// the app's own memory and CPU over real HTTP.
/// </summary>
public sealed class AppProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private const string Listening = "Now listening on: ";

    private AppProcess(Process process) => _process = process;

    /// <summary>Where the app listens: read from its own log line, as it binds port 0 itself.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>The app's build output in the same configuration as the running test or benchmark build.</summary>
    public static string AppDll
    {
        get
        {
            // bin/{Configuration}/net10.0/ of the test or benchmark project, both of which build the app.
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            var path = Path.Combine(RepoPaths.Root, "src", "TwoFactorFunctions.App", "bin", configuration, "net10.0", "TwoFactorFunctions.App.dll");
            return File.Exists(path) ? path : throw new InvalidOperationException($"Build the app first: {path} is missing.");
        }
    }

    /// <summary>Starts the app with <paramref name="settings"/> (configuration keys, e.g. <c>DurableHubName</c>) and waits until it answers.</summary>
    /// <param name="settings">Configuration, passed as environment variables (<c>:</c> becomes <c>__</c>).</param>
    /// <param name="timeout">How long to wait for the app to listen and to answer its health check; 60 s by default.</param>
    /// <param name="environment">The ASP.NET Core environment.</param>
    /// <param name="workstationGc">
    /// True (tests) runs the app with the workstation GC, to keep its memory small beside the other test processes;
    /// false (benchmarks) leaves the app's own GC setting, as production runs it.
    /// </param>
    /// <param name="onError">Called with each line the app writes to stderr (benchmarks echo them).</param>
    /// <param name="appDll">
    /// The app to run, when not <see cref="AppDll"/>: a published build (ReadyToRun, say) whose start-up a benchmark compares.
    /// </param>
    public static async Task<AppProcess> StartAsync(
        IReadOnlyDictionary<string, string?> settings,
        TimeSpan? timeout = null,
        string environment = "Development",
        bool workstationGc = true,
        Action<string>? onError = null,
        string? appDll = null)
    {
        appDll ??= AppDll;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(appDll)!,
        };
        start.ArgumentList.Add(appDll);
        start.ArgumentList.Add("--urls");
        // Port 0: the app binds a free port itself and logs it, so no port picked here can be taken in between.
        start.ArgumentList.Add("http://127.0.0.1:0");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        // The "Now listening on" line the port is read from is logged at Information.
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        if (workstationGc)
        {
            start.Environment["DOTNET_gcServer"] = "0";
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var app = new AppProcess(process);
        process.OutputDataReceived += (_, e) => app.Keep(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            app.Keep(e.Data);
            if (!string.IsNullOrEmpty(e.Data))
            {
                onError?.Invoke(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await app.WaitForOutputAsync(Listening, timeout ?? TimeSpan.FromSeconds(60));
            var line = app._output.First(l => l.Contains(Listening, StringComparison.Ordinal));
            app.BaseAddress = new Uri(line[(line.IndexOf(Listening, StringComparison.Ordinal) + Listening.Length)..].Trim() + "/");
            await app.WaitHealthyAsync(timeout ?? TimeSpan.FromSeconds(60));
            return app;
        }
        catch
        {
            app.Dispose();
            throw;
        }
    }

    /// <summary>A client of the app with <paramref name="functionKey"/> (x-functions-key) on every request.</summary>
    public HttpClient Client(string functionKey, TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("x-functions-key", functionKey);
        return client;
    }

    /// <summary>CPU time the app process has used so far (user + system).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Waits until the process has written a line containing <paramref name="text"/> (to stdout or stderr).</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_output.Any(line => line.Contains(text, StringComparison.Ordinal)))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No line with '{text}' within {timeout}:{Environment.NewLine}{Output}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no graceful drain, exactly like a crashed host.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM (what Ctrl-C and a container stop send); returns how long the process took to exit.</summary>
    public async Task<TimeSpan> TerminateAsync(TimeSpan timeout)
    {
        var started = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return started.Elapsed;
    }

    /// <summary>Peak resident set size so far (VmHWM from /proc), in bytes.</summary>
    public long PeakWorkingSetBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("VmHWM not found.");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 5000 && _output.TryDequeue(out _))
        {
        }
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {_process.ExitCode}:{Environment.NewLine}{Output}");
            }

            try
            {
                using var response = await client.GetAsync("api/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or SocketException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The app did not answer within {timeout}:{Environment.NewLine}{Output}");
            }

            await Task.Delay(100);
        }
    }
}
