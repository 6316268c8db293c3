using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace TwoFactorFunctions.FunctionalTests.Hosting;

/// <summary>
/// scripts/publish.sh lays out a deployable custom-handler function app, and the published executable serves the
/// host's contract on FUNCTIONS_CUSTOMHANDLER_PORT. Slow (a self-contained publish), hence the trait.
/// </summary>
[Collection(HostingGroup.Name)]
[Trait("Category", "Slow")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PublishTests(HostingAzurite azurite)
{
    [Fact]
    public async Task PublishScript_LaysOutHostJsonFunctionFoldersAndSelfContainedApp_AndZipsThem()
    {
        var work = Directory.CreateTempSubdirectory("tff-publish-");
        try
        {
            var output = Path.Combine(work.FullName, "functionapp");
            var (exitCode, log) = await RunAsync("bash", [Path.Combine(HostingAzurite.RepoRoot, "scripts", "publish.sh"), output], TimeSpan.FromMinutes(8));
            Assert.True(exitCode == 0, log);

            // Folder: host.json and one folder per function at the root, the app under app/.
            var functionNames = Directory.GetDirectories(Path.Combine(HostingAzurite.RepoRoot, "functions")).Select(Path.GetFileName).Order().ToList();
            Assert.True(File.Exists(Path.Combine(output, "host.json")));
            Assert.Equal(
                File.ReadAllText(Path.Combine(HostingAzurite.RepoRoot, "host.json")),
                File.ReadAllText(Path.Combine(output, "host.json")));
            foreach (var name in functionNames)
            {
                JsonNode.Parse(File.ReadAllText(Path.Combine(output, name!, "function.json")));
            }

            Assert.Equal(functionNames.Append("app").Order(), Directory.GetDirectories(output).Select(Path.GetFileName).Order());
            var executable = Path.Combine(output, "app", "TwoFactorFunctions.App");
            Assert.True(File.GetUnixFileMode(executable).HasFlag(UnixFileMode.UserExecute), "the handler must be executable");
            Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(executable)[..4]);
            Assert.True(File.Exists(Path.Combine(output, "app", "libhostfxr.so")), "self-contained: the runtime ships with the app");
            Assert.False(File.Exists(Path.Combine(output, "app", "appsettings.Development.json")), "development settings must not ship");

            // Zip: the same tree at its root, the executable bit kept.
            using (var zip = ZipFile.OpenRead(output + ".zip"))
            {
                var entries = zip.Entries.ToDictionary(e => e.FullName.TrimStart('.', '/'));
                Assert.Contains("host.json", entries.Keys);
                Assert.All(functionNames, n => Assert.Contains($"{n}/function.json", entries.Keys));
                Assert.True(((UnixFileMode)(entries["app/TwoFactorFunctions.App"].ExternalAttributes >> 16)).HasFlag(UnixFileMode.UserExecute));
            }

            await PublishedApp_UnderHostPort_ServesHttpAndTimerInvocation(executable);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Started the way the Functions host starts it: working directory app/, port in FUNCTIONS_CUSTOMHANDLER_PORT.</summary>
    private async Task PublishedApp_UnderHostPort_ServesHttpAndTimerInvocation(string executable)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = Path.GetDirectoryName(executable)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["AzureWebJobsStorage"] = azurite.ConnectionString;
        start.Environment["Storage__Prefix"] = HostingAzurite.NewPrefix();
        start.Environment["TwoFactor__CodeHashSecret"] = Convert.ToBase64String(new byte[32]);
        start.Environment["FunctionKeys__Keys__0__Name"] = "test";
        start.Environment["FunctionKeys__Keys__0__Sha256"] = Convert.ToBase64String(new byte[32]);
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment.Remove("ASPNETCORE_URLS");

        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var deadline = DateTime.UtcNow.AddSeconds(30);
            HttpResponseMessage? health = null;
            while (health is null)
            {
                try
                {
                    health = await client.GetAsync("/api/health");
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
                {
                    await Task.Delay(200);
                }
            }

            Assert.Equal(HttpStatusCode.OK, health.StatusCode);

            var timer = await client.PostAsJsonAsync("/CleanupExpired", new JsonObject
            {
                ["Data"] = new JsonObject { ["timer"] = new JsonObject { ["Schedule"] = new JsonObject(), ["ScheduleStatus"] = null, ["IsPastDue"] = false } },
                ["Metadata"] = new JsonObject(),
            });
            Assert.Equal(HttpStatusCode.OK, timer.StatusCode);
            Assert.NotNull(JsonNode.Parse(await timer.Content.ReadAsStringAsync())!["Logs"]);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static async Task<(int ExitCode, string Log)> RunAsync(string file, string[] args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await output + await errors);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
