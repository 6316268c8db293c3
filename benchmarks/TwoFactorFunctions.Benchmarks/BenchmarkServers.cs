using TwoFactorFunctions.TestSupport;

namespace TwoFactorFunctions.Benchmarks;

/// <summary>How the benchmarks start the shared harness's servers (tests/TwoFactorFunctions.TestSupport).</summary>
internal static class BenchmarkServers
{
    /// <summary>An in-memory Azurite of the benchmark's own, on ports it binds itself, stopped with the benchmark.</summary>
    public static Task<AzuriteProcess> AzuriteAsync() =>
        // A million-row table in memory needs more heap than node's default.
        AzuriteProcess.StartNewAsync(nodeOptions: ["--max-old-space-size=16384"]);

    /// <summary>
    /// The built app as its own OS process on a port it binds itself (standalone, with its queue listeners), so its
    /// memory and CPU are its own and the HTTP between the benchmark and the app is real.
    /// </summary>
    /// <param name="appDll">The app to run instead of the build output (<c>--app</c>: a published build, say).</param>
    public static Task<AppProcess> AppAsync(string environment, IReadOnlyDictionary<string, string?> settings, string? appDll = null) =>
        AppProcess.StartAsync(settings, environment: environment, workstationGc: false,
            onError: line => Console.Error.WriteLine("app: " + line), appDll: appDll);
}
