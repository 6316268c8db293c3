using System.Diagnostics;
using System.Globalization;

namespace TwoFactorFunctions.Benchmarks.SignIn;

/// <summary>
/// The standalone host's cold start as a caller sees it: from starting a fresh process to the first sign-in it answers
/// (challenge + verify, both 200). One process at a time, each stopped before the next starts.
/// </summary>
/// <remarks>
/// The process is started and watched by the shared harness (<see cref="TestSupport.AppProcess"/>): it reads the bound
/// port from the app's log and waits for the readiness check to answer, polling every 50 and 100 ms, so each figure
/// includes up to about 150 ms of polling, alike for every build compared. The OS file cache is warm (the seeding app
/// ran the same files just before), as on a host restarting an app it has run before.
/// </remarks>
internal static class ColdStart
{
    /// <returns>
    /// Per process: milliseconds from start to the answered sign-in, and the CPU time the process used by then (on a
    /// small machine the steadier of the two: start-up work such as JIT compiling is CPU, waiting on storage is not).
    /// </returns>
    public static async Task<(List<double> Elapsed, List<double> Cpu)> MeasureAsync(int processes, IReadOnlyDictionary<string, string?> settings,
        string? appDll, Func<HttpClient, Task> signIn)
    {
        var (elapsed, cpu) = (new List<double>(), new List<double>());
        for (var p = 0; p < processes; p++)
        {
            var watch = Stopwatch.StartNew();
            using var app = await BenchmarkServers.AppAsync("Production", settings, appDll);
            var ready = watch.Elapsed;
            using var http = app.Client(SignInBenchmark.Key, TimeSpan.FromSeconds(60));
            await signIn(http);
            elapsed.Add(watch.Elapsed.TotalMilliseconds);
            cpu.Add(app.CpuTime.TotalMilliseconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cold start {p + 1}: ready (listening, readiness answered) after {ready.TotalMilliseconds:F0} ms, first sign-in answered after {elapsed[^1]:F0} ms, {cpu[^1]:F0} ms CPU"));
        }

        return (elapsed, cpu);
    }
}
