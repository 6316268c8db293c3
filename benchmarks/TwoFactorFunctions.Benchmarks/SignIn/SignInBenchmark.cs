using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using TwoFactorFunctions.Benchmarks.Reporting;
using TwoFactorFunctions.TestSupport;

namespace TwoFactorFunctions.Benchmarks.SignIn;

/// <summary>
/// Challenge + verify through the real HTTP endpoints of the app (a separate process, Kestrel on loopback, codes read
/// from the delivered SMTP messages), against the same Azurite driven directly with the fewest storage operations one
/// challenge + verify needs (<see cref="RawSignIn"/>). Both at the same fixed concurrency, in alternating runs; per run:
/// flows per second, storage requests per flow (the app counts its own), and the latency of each call. Then the
/// standalone host's cold start: fresh processes timed from start to their first answered sign-in.
/// </summary>
internal static class SignInBenchmark
{
    public const string Key = "benchmark-key";
    private const string Prefix = "bench";

    public static async Task<BenchmarkOutcome> RunAsync(BenchmarkOptions options)
    {
        using var azurite = await BenchmarkServers.AzuriteAsync();
        var connectionString = azurite.ConnectionString;
        var (flows, concurrency) = (options.Flows, options.Concurrency);
        await using var sink = new SmtpRecorder(keepMail: false);
        var settings = AppSettings(connectionString, sink.Port);
        var tenant = "bench-" + Guid.NewGuid().ToString("N")[..8];
        var runs = new List<SignInRun>();
        long peakWorkingSet;

        // Seeded by an app of its own, stopped before the cold starts, so each of those processes has the machine to
        // itself and finds small tables (Azurite's queries scan whole tables: after the runs it would time Azurite).
        using (var seeder = await BenchmarkServers.AppAsync("Production", settings, options.App))
        using (var http = seeder.Client(Key, TimeSpan.FromSeconds(100)))
        {
            await SeedAsync(http, connectionString, tenant, flows);

            // The cold-start user's first sign-in makes its one-time writes (the first proof of its channel).
            await AppFlowAsync(http, sink, tenant, 0, null);
        }

        var coldStarts = await ColdStart.MeasureAsync(options.ColdStarts, settings, options.App, http => AppFlowAsync(http, sink, tenant, 0, null));

        using (var app = await BenchmarkServers.AppAsync("Production", settings, options.App))
        using (var http = app.Client(Key, TimeSpan.FromSeconds(100)))
        using (var raw = new RawSignIn(connectionString, Prefix))
        {
            // Warm-up: JIT, connection pools, and each user's first proof of the channel (a one-time user update).
            await DriveAsync(flows, concurrency, i => AppFlowAsync(http, sink, tenant, i, null));
            await raw.SeedAsync(flows);
            await DriveAsync(flows, concurrency, i => RawFlowAsync(raw, i, null));

            // App and raw runs alternate, and each ratio pairs neighbours, so a drift in the machine's load hits both sides.
            for (var run = 0; run < options.Runs; run++)
            {
                var appTimes = new FlowLatencies();
                var appBefore = await RequestsAsync(http);
                var appRate = await DriveAsync(flows, concurrency, i => AppFlowAsync(http, sink, tenant, i, appTimes));
                var appRequests = (double)(await RequestsAsync(http) - appBefore) / flows;

                var rawTimes = new FlowLatencies();
                var rawBefore = raw.Counter.Total;
                var rawRate = await DriveAsync(flows, concurrency, i => RawFlowAsync(raw, i, rawTimes));
                var rawRequests = (double)(raw.Counter.Total - rawBefore) / flows;

                runs.Add(new SignInRun(appRate, rawRate, appRequests, rawRequests, appTimes, rawTimes));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"sign-in run {run + 1}: app {appRate:F1} flows/s, {appRequests:F2} requests/flow, verify p95 {appTimes.Verify.Percentile(95):F1} ms; " +
                    $"raw {rawRate:F1} flows/s, {rawRequests:F2} requests/flow, verify p95 {rawTimes.Verify.Percentile(95):F1} ms"));
            }

            peakWorkingSet = app.PeakWorkingSetBytes();
        }

        return SignInFigures.Outcome(runs, coldStarts,
        [
            string.Create(CultureInfo.InvariantCulture,
                $"sign-in: {flows:N0} flows per run, {concurrency} in flight; app peak working set over all runs {peakWorkingSet / 1048576} MB"),
            $"sign-in app: {options.App ?? AppProcess.AppDll}",
        ]);
    }

    /// <summary>
    /// The standalone app as production runs it, with the request counter's endpoint on (and nothing in the background:
    /// no enrolment worker, no cleanup schedule), so the count between two reads is the sign-ins'.
    /// </summary>
    private static Dictionary<string, string?> AppSettings(string connectionString, int smtpPort) => new()
    {
        ["AzureWebJobsStorage"] = connectionString,
        ["Storage:Prefix"] = Prefix,
        ["TwoFactor:CodeHashSecret"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["TwoFactor:MaxChallengesPerWindow"] = "1000",
        ["FunctionKeys:Keys:0:Name"] = "bench",
        ["FunctionKeys:Keys:0:Sha256"] = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Key))),
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
        ["Smtp:Security"] = "None",
        ["Smtp:PoolSize"] = "32",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Durable:WorkerEnabled"] = "false",
        ["Cleanup:Enabled"] = "false",
        ["Telemetry:Console"] = "false",
        ["Diagnostics:StorageRequestCount"] = "true",
    };

    /// <summary>One sign-in of user <paramref name="i"/>; each HTTP call timed when <paramref name="times"/> is given.</summary>
    private static async Task AppFlowAsync(HttpClient http, SmtpRecorder sink, string tenant, int i, FlowLatencies? times)
    {
        var user = $"u{i:D5}";
        var code = sink.NextCodeAsync($"{user}@bench.example");
        var challengeId = await FlowLatencies.TimedAsync(times?.Create, async () =>
        {
            using var created = await http.PostAsJsonAsync($"/api/tenants/{tenant}/challenges", new { userId = user });
            created.EnsureSuccessStatusCode();
            return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("challenge").GetProperty("challengeId").GetString();
        });

        // Waiting for the email is the user's time, not the service's: the verify is timed from when it is sent.
        var answer = await code.WaitAsync(TimeSpan.FromSeconds(30));
        await FlowLatencies.TimedAsync(times?.Verify, async () =>
        {
            using var verified = await http.PostAsJsonAsync($"/api/tenants/{tenant}/challenges/{challengeId}/verify", new { code = answer });
            verified.EnsureSuccessStatusCode();
            return true;
        });
    }

    private static async Task RawFlowAsync(RawSignIn raw, int i, FlowLatencies? times)
    {
        var challenge = await FlowLatencies.TimedAsync(times?.Create, () => raw.CreateAsync(i));
        await FlowLatencies.TimedAsync(times?.Verify, async () =>
        {
            await raw.VerifyAsync(i, challenge);
            return true;
        });
    }

    /// <summary>The app's own count of the requests it has sent to Table Storage (GET /diagnostics/storage-requests).</summary>
    private static async Task<long> RequestsAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement>("/diagnostics/storage-requests")).GetProperty("requests").GetInt64();

    /// <summary>Runs <paramref name="count"/> flows with <paramref name="concurrency"/> in flight; returns flows per second.</summary>
    private static async Task<double> DriveAsync(int count, int concurrency, Func<int, Task> flow)
    {
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await flow(i);
            }
        }));
        return count / watch.Elapsed.TotalSeconds;
    }

    private static async Task SeedAsync(HttpClient http, string connectionString, string tenant, int users)
    {
        // Switching 2FA on through storage keeps this benchmark about sign-in, not the enrolment run. Written first, so
        // no read of the app's (an instance caches the tenant row for a few seconds) can see the tenant with 2FA off;
        // the profile is then merged into the row by the app.
        var tenants = new TableClient(connectionString, Prefix + "Tenants");
        await tenants.AddEntityAsync(new TableEntity(tenant, "") { ["TwoFactorEnabled"] = true });
        (await http.PutAsJsonAsync($"/api/tenants/{tenant}", new { displayName = "Bench", defaultRegion = "AU" })).EnsureSuccessStatusCode();
        var people = Enumerable.Range(0, users).Select(i => new { userId = $"u{i:D5}", displayName = $"User {i}", email = $"u{i:D5}@bench.example", role = "User", active = true });
        (await http.PostAsJsonAsync($"/api/tenants/{tenant}/user-imports", people)).EnsureSuccessStatusCode();
    }
}
