using System.Diagnostics;
using System.Text.Json.Nodes;

using TwoFactorFunctions.FunctionalTests.Infrastructure;

namespace TwoFactorFunctions.FunctionalTests.Contracts;

/// <summary>Runs <c>tests/contract/acs-sdk-send.cjs</c>, which drives the official ACS JS SDKs (from the repo's node_modules).</summary>
public static class JsSdk
{
    public static string RepoRoot => RepoPaths.Root;

    public static bool IsInstalled =>
        File.Exists(Path.Combine(RepoRoot, "node_modules", "@azure", "communication-email", "package.json"))
        && File.Exists(Path.Combine(RepoRoot, "node_modules", "@azure", "communication-call-automation", "package.json"));

    /// <summary>Runs the scenarios in one node process; returns one result object per scenario.</summary>
    public static async Task<IReadOnlyList<JsonObject>> RunAsync(JsonObject input, TimeSpan? timeout = null)
    {
        if (!IsInstalled)
        {
            throw new InvalidOperationException($"The ACS JS SDKs are not installed: run `npm ci` in {RepoRoot}.");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine("tests", "contract", "acs-sdk-send.cjs"));
        start.ArgumentList.Add(input.ToJsonString());

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(90));
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The JS SDK contract script did not finish in time.");
        }

        var output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"node exited with {process.ExitCode}: {await stderr}");
        }

        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject())];
    }
}
