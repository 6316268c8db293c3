using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Azure.Data.Tables;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.Benchmarks.Enrolment;

/// <summary>
/// <c>enrol</c>: enrols a company through the real app (its own OS process, standalone with its queue listeners) on
/// the benchmark's own Azurite, and in the same run measures Azurite's raw batch-write rate, so the two can be
/// compared on this machine. Then a second, larger run measures the app process's peak working set.
/// </summary>
internal static class EnrolmentBenchmark
{
    public const double RatioGoal = 0.5;
    public const long PeakGoalBytes = 300L * 1024 * 1024;

    private const string Tenant = "benchco";
    private const string WarmUpTenant = "warmupco";
    private const int WarmUpUsers = 1000;
    private const string Admin = "admin";
    private const string FunctionKey = "dev-function-key";

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static async Task<int> MainAsync(string[] args)
    {
        if (Parse(args) is not { } options)
        {
            Console.Error.WriteLine("""
                usage: enrol [--users N] [--peak-users N] [--concurrency N] [--notice-rate N] [--raw-entities N] [--skip-peak]
                  --users N          company size for the throughput run (default 10000)
                  --peak-users N     company size for the peak working-set run (default 100000)
                  --concurrency N    batch messages in flight in the app (Queues:BatchSize) and transactions in flight
                                     for the raw rate (default 16)
                  --notice-rate N    Notices:MaxPerSecond during the throughput run (default 100, an email quota)
                  --raw-entities N   entities written for the raw rate (default 100000)
                Starts its own in-memory Azurite and a discarding SMTP server; runs the built app
                (src/TwoFactorFunctions.App/bin/<configuration>/net10.0) as a separate process.
                """);
            return 2;
        }

        var appDll = AppDll();
        await using var azurite = await AzuriteServer.StartAsync();
        await using var smtp = new SmtpSink();
        Console.WriteLine(string.Create(C, $"cores: {Environment.ProcessorCount}; app: {appDll}"));

        // The raw rates are taken right before and right after the enrolment run and averaged: on a shared machine the
        // load drifts, and a single measurement on one side of the run can flatter or punish the ratio.
        var before = await RawBatchRatesAsync(azurite.ConnectionString, options.Concurrency, options.RawEntities);
        PrintRaw("before", before, options);
        var throughput = await EnrolAsync(azurite.ConnectionString, smtp, appDll, options.Users, options.Concurrency, options.NoticeRate, waitForNotices: false);
        var after = await RawBatchRatesAsync(azurite.ConnectionString, options.Concurrency, options.RawEntities);
        PrintRaw("after", after, options);

        var rawInsert = (before.Insert + after.Insert) / 2;
        var rawRewrite = (before.Rewrite + after.Rewrite) / 2;
        var ratio = throughput.UsersPerSecond / rawInsert;
        Console.WriteLine();
        Console.WriteLine("| users | seconds to summary | users/s | raw batch insert (entities/s) | ratio | raw batch rewrite (entities/s) | ratio to rewrite | notices sent meanwhile |");
        Console.WriteLine("|------:|-------------------:|--------:|------------------------------:|------:|-------------------------------:|-----------------:|-----------------------:|");
        Console.WriteLine(string.Create(C,
            $"| {options.Users:N0} | {throughput.Elapsed.TotalSeconds:F1} | {throughput.UsersPerSecond:N0} | {rawInsert:N0} | {ratio:F2} | {rawRewrite:N0} | {throughput.UsersPerSecond / rawRewrite:F2} | {throughput.NoticesSent:N0} |"));
        var ratioMet = ratio >= RatioGoal;
        Console.WriteLine(string.Create(C,
            $"Goal: users/s ÷ raw batch-write rate (100-entity inserts, the fastest write Azurite does) ≥ {RatioGoal}: {(ratioMet ? "met" : "NOT MET")}"));

        var peakMet = true;
        if (!options.SkipPeak)
        {
            // Notices unthrottled here, so the whole run (enrolment and every notice) is inside the measured window.
            var peak = await EnrolAsync(azurite.ConnectionString, smtp, appDll, options.PeakUsers, options.Concurrency, noticeRate: 5000, waitForNotices: true);
            peakMet = peak.PeakWorkingSet <= PeakGoalBytes;
            Console.WriteLine();
            Console.WriteLine("| users | seconds to summary | users/s | seconds to last notice | peak working set (VmHWM) |");
            Console.WriteLine("|------:|-------------------:|--------:|-----------------------:|-------------------------:|");
            Console.WriteLine(string.Create(C,
                $"| {options.PeakUsers:N0} | {peak.Elapsed.TotalSeconds:F1} | {peak.UsersPerSecond:N0} | {peak.NoticesElapsed.TotalSeconds:F1} | {peak.PeakWorkingSet / 1048576.0:F0} MB |"));
            Console.WriteLine(string.Create(C, $"Goal: peak working set of the app process ≤ {PeakGoalBytes / 1048576} MB: {(peakMet ? "met" : "NOT MET")}"));
        }

        return ratioMet && peakMet ? 0 : 1;
    }

    private static void PrintRaw(string when, (double Insert, double Rewrite) rates, Options options) =>
        Console.WriteLine(string.Create(C,
            $"raw {when}: {options.RawEntities:N0} entities in 100-entity transactions, {options.Concurrency} in flight: inserting new rows {rates.Insert:N0} entities/s, rewriting them {rates.Rewrite:N0} entities/s"));

    private sealed record Options(int Users, int PeakUsers, int Concurrency, int NoticeRate, int RawEntities, bool SkipPeak);

    private sealed record RunFigures(TimeSpan Elapsed, double UsersPerSecond, long NoticesSent, TimeSpan NoticesElapsed, long PeakWorkingSet);

    /// <summary>
    /// Entities per second written as 100-entity transactions of user-sized rows, <paramref name="concurrency"/> in
    /// flight: first inserting new rows, then writing the same rows again (an update, which is what enrolment does to
    /// a user; on Azurite it costs more than an insert).
    /// </summary>
    private static async Task<(double Insert, double Rewrite)> RawBatchRatesAsync(string connectionString, int concurrency, int entities)
    {
        var table = new TableServiceClient(connectionString).GetTableClient("raw" + Guid.NewGuid().ToString("N")[..12]);
        await table.CreateIfNotExistsAsync();
        var batches = Enumerable.Range(0, entities / 100).ToList();

        async Task<double> WriteAllAsync()
        {
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (b, ct) =>
            {
                var partition = "p" + (b % 64).ToString("D2", C);
                var actions = Enumerable.Range(0, 100).Select(i => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                    UserRow(partition, $"r{b:D6}-{i:D3}")));
                await table.SubmitTransactionAsync(actions, ct);
            });
            return batches.Count * 100 / clock.Elapsed.TotalSeconds;
        }

        var insert = await WriteAllAsync();
        var rewrite = await WriteAllAsync();
        await table.DeleteAsync();
        return (insert, rewrite);
    }

    private static async Task<RunFigures> EnrolAsync(string connectionString, SmtpSink smtp, string appDll, int users, int concurrency,
        int noticeRate, bool waitForNotices)
    {
        var prefix = "b" + string.Concat(Guid.NewGuid().ToString("N").Where(char.IsAsciiLetterLower).Concat("abcdefgh").Take(8));
        var storage = new TableStorage(new StorageOptions { ConnectionString = connectionString, Prefix = prefix, NetworkTimeout = TimeSpan.FromSeconds(60), MaxRetries = 5 },
            new Azure.Identity.DefaultAzureCredential());
        var seedClock = Stopwatch.StartNew();
        await SeedAsync(storage, Tenant, users, concurrency);
        await SeedAsync(storage, WarmUpTenant, WarmUpUsers, concurrency);
        Console.WriteLine(string.Create(C, $"seeded {users:N0} users (and {WarmUpUsers:N0} for the warm-up) in {seedClock.Elapsed.TotalSeconds:F1} s"));

        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = connectionString,
            ["Storage:Prefix"] = prefix,
            ["Storage:NetworkTimeout"] = "00:00:30",
            ["Demo:Seed"] = "false",
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = smtp.Port.ToString(C),
            ["Smtp:Security"] = "None",
            ["Smtp:PoolSize"] = "8",
            ["Messaging:SecurityAlertAddress"] = "security@bench.example",
            ["Queues:BatchSize"] = concurrency.ToString(C),
            ["Queues:MaxPollingInterval"] = "00:00:01",
            ["Queues:VisibilityTimeout"] = "00:00:05",
            ["Notices:MaxPerSecond"] = noticeRate.ToString(C),
            ["Notices:Burst"] = noticeRate.ToString(C),
            ["Cleanup:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        };

        using var app = await AppServer.StartAsync(appDll, settings);
        using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Add("x-functions-key", FunctionKey);
        var runs = new TableEnrolmentRunStore(storage);

        // A service runs warm: one small run first, so JIT compilation and connection set-up stay out of the figures.
        var warmUp = Stopwatch.StartNew();
        await RunToSummaryAsync(http, runs, WarmUpTenant, WarmUpUsers, warmUp, report: false);
        Console.WriteLine(string.Create(C, $"warm-up run of {WarmUpUsers:N0} users: {warmUp.Elapsed.TotalSeconds:F1} s"));
        while (smtp.Messages < WarmUpUsers + 1)
        {
            await Task.Delay(50);
        }

        var sentBefore = smtp.Messages;
        var appCpu = app.CpuTime;
        var azuriteProcess = ProcessCpu.FindAzurite(connectionString);
        var azuriteCpu = ProcessCpu.Of(azuriteProcess);
        var clock = Stopwatch.StartNew();
        await RunToSummaryAsync(http, runs, Tenant, users, clock, report: true);

        var elapsed = clock.Elapsed;
        Console.WriteLine(string.Create(C, $"  CPU during the run: app {(app.CpuTime - appCpu).TotalSeconds:F1} s, Azurite {(ProcessCpu.Of(azuriteProcess) - azuriteCpu).TotalSeconds:F1} s, wall {elapsed.TotalSeconds:F1} s"));
        var noticesAtSummary = smtp.Messages - sentBefore;
        var noticesElapsed = TimeSpan.Zero;
        if (waitForNotices)
        {
            // Every user's notice plus the admin's summary.
            while (smtp.Messages - sentBefore < users + 1L)
            {
                await Task.Delay(50);
            }

            noticesElapsed = clock.Elapsed;
        }

        return new RunFigures(elapsed, users / elapsed.TotalSeconds, noticesAtSummary, noticesElapsed, app.PeakWorkingSet());
    }

    /// <summary>PUT enabled=true, then polls the run row until the run is completed (summary sent).</summary>
    private static async Task RunToSummaryAsync(HttpClient http, TableEnrolmentRunStore runs, string tenant, int users, Stopwatch clock, bool report)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"api/tenants/{tenant}/two-factor") { Content = JsonContent.Create(new { enabled = true }) };
        request.Headers.Add("X-Actor-Id", Admin);
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT two-factor answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        var runId = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString()!;
        var lastReport = TimeSpan.Zero;
        while (true)
        {
            var run = await runs.GetHeaderAsync(tenant, runId, CancellationToken.None) ?? throw new InvalidOperationException("run vanished");
            if (run.Status == Core.Enrolment.RunStatus.Completed)
            {
                var done = await runs.GetAsync(tenant, runId, CancellationToken.None);
                if (done!.Counters.Successful != users)
                {
                    throw new InvalidOperationException(string.Create(C, $"Expected {users} successful, the run says {done.Counters.Successful} (failed {done.Counters.Failed})."));
                }

                return;
            }

            if (run.Status == Core.Enrolment.RunStatus.Failed)
            {
                throw new InvalidOperationException("The run failed: " + run.FailureReason);
            }

            if (report && clock.Elapsed - lastReport > TimeSpan.FromSeconds(10))
            {
                lastReport = clock.Elapsed;
                var progress = await runs.GetAsync(tenant, runId, CancellationToken.None);
                Console.WriteLine(string.Create(C, $"  {clock.Elapsed.TotalSeconds:F0} s: {progress!.Counters.Total:N0} users counted, {progress.BatchesDone}/{progress.BatchesPlanned} batches"));
            }

            await Task.Delay(25);
        }
    }

    private static async Task SeedAsync(TableStorage storage, string tenant, int users, int concurrency)
    {
        await Task.WhenAll(storage.All.Select(t => t.CreateIfNotExistsAsync()));
        await storage.Tenants.UpsertEntityAsync(new TableEntity(tenant, "") { ["DisplayName"] = "Bench Company", ["DefaultRegion"] = "AU" }, TableUpdateMode.Replace);
        var ids = new[] { Admin }.Concat(Enumerable.Range(1, users - 1).Select(i => $"u{i:D7}"));
        await Parallel.ForEachAsync(ids.Chunk(100), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (chunk, ct) =>
        {
            var actions = chunk.Select(id =>
            {
                var row = UserRow(tenant, id);
                row["Role"] = id == Admin ? "Admin" : "User";
                return new TableTransactionAction(TableTransactionActionType.UpsertReplace, row);
            });
            await storage.Users.SubmitTransactionAsync(actions, ct);
        });
    }

    /// <summary>A row shaped like a directory user (the raw rate writes the same size of entity the engine writes).</summary>
    private static TableEntity UserRow(string partition, string id) => new(partition, id)
    {
        ["DisplayName"] = "Benchmark User " + id,
        ["Email"] = id + "@bench.example",
        ["Phone"] = "",
        ["Role"] = "User",
        ["Active"] = true,
        ["TwoFactorEnabled"] = false,
        ["SecurityStamp"] = Guid.NewGuid().ToString("N"),
    };

    private static string AppDll()
    {
        // bin/<Configuration>/net10.0/ of this benchmark; the app is built alongside (a build-only project reference).
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "TwoFactorFunctions.App", "bin", configuration, "net10.0", "TwoFactorFunctions.App.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"The app's {configuration} build was not found; build the benchmark project (it builds the app too).");
    }

    private static Options? Parse(string[] args)
    {
        int users = 10_000, peakUsers = 100_000, concurrency = 16, noticeRate = 100, raw = 100_000;
        var skipPeak = false;
        for (var i = 0; i < args.Length; i++)
        {
            int Next() => i + 1 < args.Length && int.TryParse(args[++i], NumberStyles.None, C, out var v) && v > 0 ? v : -1;
            switch (args[i])
            {
                case "--users": users = Next(); break;
                case "--peak-users": peakUsers = Next(); break;
                case "--concurrency": concurrency = Next(); break;
                case "--notice-rate": noticeRate = Next(); break;
                case "--raw-entities": raw = Next(); break;
                case "--skip-peak": skipPeak = true; break;
                default: return null;
            }
        }

        return users < 2 || peakUsers < 2 || concurrency is < 1 or > 32 || noticeRate < 1 || raw < 100
            ? null
            : new Options(users, peakUsers, concurrency, noticeRate, raw, skipPeak);
    }
}
