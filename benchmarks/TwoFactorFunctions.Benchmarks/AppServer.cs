using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace TwoFactorFunctions.Benchmarks;

/// <summary>
/// The built app as its own OS process on a free loopback port (standalone, with its queue listeners), so its memory
/// and CPU are its own and the HTTP between the benchmark and the app is real.
/// </summary>
internal sealed class AppServer : IDisposable
{
    private readonly Process _process;

    private AppServer(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<AppServer> StartAsync(string environment, IReadOnlyDictionary<string, string> settings)
    {
        var port = AzuriteServer.FreePort();
        var appDll = AppDll();
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(appDll)!,
        };
        start.ArgumentList.Add(appDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data))
            {
                Console.Error.WriteLine("app: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new AppServer(process, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"));
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with code {process.ExitCode}.");
            }

            try
            {
                using var response = await http.GetAsync("api/health");
                if (response.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                server.Dispose();
                throw new TimeoutException("The app did not become healthy within 60 s.");
            }

            await Task.Delay(100);
        }
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

    /// <summary>The process's peak resident set so far (VmHWM in /proc/{pid}/status), in bytes.</summary>
    public long PeakWorkingSet()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("VmHWM not found (Linux only).");
    }

    /// <summary>The app's build for this configuration (the benchmark project builds it, without referencing it).</summary>
    private static string AppDll()
    {
        var path = typeof(AppServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "AppPath").Value;
        return File.Exists(path) ? path : throw new InvalidOperationException($"The app is not built at {path}: build the benchmark project (it builds the app too).");
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
}
