using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;

namespace TwoFactorFunctions.FunctionalTests.Hosting;

/// <summary>
/// scripts/publish.sh produces the deployable isolated-worker function app and its zip: host.json, the generated
/// functions.metadata listing every function, extensions.json (the Durable extension), worker.config.json and the
/// worker. No Functions host can run here, so the layout is the contract. Slow (a publish), hence the trait.
/// </summary>
[Trait("Category", "Slow")]
public sealed class PublishTests
{
    [Fact]
    public async Task PublishScript_IsolatedWorkerApp_HasMetadataForEveryFunctionAndZipsIt()
    {
        var work = Directory.CreateTempSubdirectory("tff-publish-");
        try
        {
            var output = Path.Combine(work.FullName, "functionapp");
            var (exitCode, log) = await RunAsync("bash", [Path.Combine(HostingAzurite.RepoRoot, "scripts", "publish.sh"), output], TimeSpan.FromMinutes(8));
            Assert.True(exitCode == 0, log);

            var source = Path.Combine(HostingAzurite.RepoRoot, "src", "TwoFactorFunctions.FunctionApp");
            // host.json lives at the repository root, linked into the project: shipped byte for byte.
            Assert.Equal(File.ReadAllText(Path.Combine(HostingAzurite.RepoRoot, "host.json")), File.ReadAllText(Path.Combine(output, "host.json")));
            var functions = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "functions.metadata")))!.AsArray()
                .Select(f => f!["name"]!.GetValue<string>()).ToHashSet();
            var declared = Directory.GetFiles(Path.Combine(source, "Functions"), "*.cs", SearchOption.AllDirectories).Select(Path.GetFileNameWithoutExtension);
            Assert.Equal(declared.Order(), functions.Order());
            Assert.Contains("DurableTask", File.ReadAllText(Path.Combine(output, "extensions.json")), StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(output, "worker.config.json")));
            Assert.True(File.Exists(Path.Combine(output, "TwoFactorFunctions.FunctionApp.dll")));
            Assert.True(Directory.Exists(Path.Combine(output, ".azurefunctions")));
            Assert.False(File.Exists(Path.Combine(output, "local.settings.sample.json")), "local settings must not ship");

            using var zip = ZipFile.OpenRead(output + ".zip");
            var entries = zip.Entries.Select(e => e.FullName.Replace('\\', '/').TrimStart('.', '/')).ToHashSet();
            Assert.Contains("host.json", entries);
            Assert.Contains("functions.metadata", entries);
            Assert.Contains("TwoFactorFunctions.FunctionApp.dll", entries);
            Assert.Contains(entries, e => e.StartsWith("azurefunctions/", StringComparison.Ordinal));
        }
        finally
        {
            work.Delete(recursive: true);
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
}
