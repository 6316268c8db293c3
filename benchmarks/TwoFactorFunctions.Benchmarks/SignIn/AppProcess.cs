using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;

namespace TwoFactorFunctions.Benchmarks.SignIn;

/// <summary>The app as its own OS process on a free loopback port, configured through environment variables.</summary>
public sealed class AppProcess : IDisposable
{
    public const string Prefix = "bench";

    private readonly Process _process;

    private AppProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<AppProcess> StartAsync(string connectionString, int smtpPort, string keyHash)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(AppPath());
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        var env = start.Environment;
        env["ASPNETCORE_ENVIRONMENT"] = "Production";
        env["AzureWebJobsStorage"] = connectionString;
        env["Storage__Prefix"] = Prefix;
        env["TwoFactor__CodeHashSecret"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        env["TwoFactor__MaxChallengesPerWindow"] = "1000";
        env["FunctionKeys__Keys__0__Name"] = "bench";
        env["FunctionKeys__Keys__0__Sha256"] = keyHash;
        env["Smtp__Host"] = "127.0.0.1";
        env["Smtp__Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["Smtp__Security"] = "None";
        env["Smtp__PoolSize"] = "32";
        env["Logging__LogLevel__Default"] = "Warning";
        env["Queues__ListenersEnabled"] = "false";
        env["Cleanup__Enabled"] = "false";

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the app");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("app: " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var app = new AppProcess(process, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await http.GetAsync("/api/health")).IsSuccessStatusCode)
                {
                    return app;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                app.Dispose();
                throw new InvalidOperationException("the app did not become healthy");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Peak resident set of the app process (VmHWM), or 0 where /proc is not available.</summary>
    public long PeakWorkingSetBytes()
    {
        var status = $"/proc/{_process.Id}/status";
        if (!File.Exists(status))
        {
            return 0;
        }

        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private static string AppPath() =>
        typeof(AppProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "AppPath").Value!;

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
