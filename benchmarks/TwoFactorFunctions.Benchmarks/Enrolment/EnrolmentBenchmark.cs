using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Azure;
using Azure.Data.Tables;
using TwoFactorFunctions.Benchmarks.Reporting;
using TwoFactorFunctions.Infrastructure.Storage;
using TwoFactorFunctions.TestSupport;

namespace TwoFactorFunctions.Benchmarks.Enrolment;

/// <summary>
/// Enrols companies through the real app (its own OS process, standalone with its queue listeners) on the benchmark's
/// own Azurite, and between the runs measures Azurite's raw batch-write rate, so the two can be compared on this
/// machine. Then larger runs, each in a fresh app process, measure the app's peak working set.
/// </summary>
internal static class EnrolmentBenchmark
{
    public const double RatioGoal = 0.7;
    public const long PeakGoalBytes = 300L * 1024 * 1024;

    private const string Name = "enrolment";
    private const string WarmUpTenant = "warmupco";
    private const int WarmUpUsers = 1000;
    private const string Admin = "admin";
    private const string FunctionKey = "dev-function-key";

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static async Task<BenchmarkOutcome> RunAsync(BenchmarkOptions options)
    {
        using var azurite = await BenchmarkServers.AzuriteAsync();
        await using var smtp = new SmtpRecorder(keepMail: false);
        var notes = new List<string>();
        var failed = new List<string>();

        var throughput = await ThroughputAsync(azurite, smtp, options, notes, failed);
        var figures = new List<Figure>
        {
            new(Name, string.Create(C, $"{options.Users:N0}-user company, switch-on to summary"), "users/s", Stats.Of(throughput.UsersPerSecond)),
            new(Name, "raw Azurite: batch merge of the 2FA fields (the write enrolment makes)", "entities/s", Stats.Of(throughput.RawMerge)),
            new(Name, "users/s ÷ raw batch-merge rate (paired runs)", "ratio", Stats.Of(throughput.MergeRatios), 2,
                new Goal(string.Create(C, $">= {RatioGoal}"), r => r >= RatioGoal)),
            new(Name, "raw Azurite: batch insert of new rows (fastest write; reference)", "entities/s", Stats.Of(throughput.RawInsert)),
            new(Name, "users/s ÷ raw batch-insert rate (paired runs; reference)", "ratio", Stats.Of(throughput.InsertRatios), 2),
        };

        var peaks = new List<double>();
        for (var run = 0; run < options.PeakRuns; run++)
        {
            // Notices unthrottled here, so the whole run (enrolment and every notice) is inside the measured window.
            var peak = await PeakAsync(azurite.ConnectionString, smtp, options, failed);
            peaks.Add(peak / 1048576.0);
            Console.WriteLine(string.Create(C, $"enrolment peak run {run + 1}: {options.PeakUsers:N0} users, app peak working set {peak / 1048576.0:F0} MB"));
        }

        if (peaks.Count > 0)
        {
            figures.Add(new Figure(Name, string.Create(C, $"{options.PeakUsers:N0}-user run and all its notices: app peak working set"), "MB", Stats.Of(peaks), 0,
                new Goal(string.Create(C, $"<= {PeakGoalBytes / 1048576}"), mb => mb <= PeakGoalBytes / 1048576.0)));
        }

        return new BenchmarkOutcome(figures, notes, failed);
    }

    private sealed record Throughput(List<double> UsersPerSecond, List<double> RawInsert, List<double> RawMerge, List<double> InsertRatios, List<double> MergeRatios);

    /// <summary>
    /// One warm app process enrols <see cref="BenchmarkOptions.Runs"/> companies in turn. Raw rates are taken before the
    /// first run and after each one, and each run is compared with the mean of the raw rates on either side of it: on a
    /// shared machine the load drifts, and one measurement on one side could flatter or punish the ratio.
    /// </summary>
    private static async Task<Throughput> ThroughputAsync(AzuriteProcess azurite, SmtpRecorder smtp, BenchmarkOptions options,
        List<string> notes, List<string> failed)
    {
        var connectionString = azurite.ConnectionString;
        var storage = Storage(connectionString, out var prefix);
        var tenants = Enumerable.Range(1, options.Runs).Select(r => string.Create(C, $"benchco{r}")).ToList();
        var seedClock = Stopwatch.StartNew();
        foreach (var tenant in tenants)
        {
            await SeedAsync(storage, tenant, options.Users, options.BatchConcurrency);
        }

        await SeedAsync(storage, WarmUpTenant, WarmUpUsers, options.BatchConcurrency);
        Console.WriteLine(string.Create(C, $"enrolment: seeded {options.Runs} x {options.Users:N0} users in {seedClock.Elapsed.TotalSeconds:F1} s"));

        using var app = await BenchmarkServers.AppAsync("Development", AppSettings(connectionString, prefix, smtp, options.BatchConcurrency, options.NoticeRate));
        using var http = Client(app);
        var runs = new TableEnrolmentRunStore(storage);

        // A service runs warm: one small run first, so JIT compilation and connection set-up stay out of the figures.
        await RunToSummaryAsync(http, runs, WarmUpTenant, WarmUpUsers, failed);
        await WaitForMessagesAsync(smtp, WarmUpUsers + 1);

        var result = new Throughput([], [], [], [], []);
        var raw = await RawBatchRatesAsync(connectionString, options.BatchConcurrency, options.RawEntities);
        foreach (var tenant in tenants)
        {
            var (appCpu, azuriteCpu, sentBefore) = (app.CpuTime, azurite.CpuTime, smtp.Messages);
            var clock = Stopwatch.StartNew();
            await RunToSummaryAsync(http, runs, tenant, options.Users, failed);
            var elapsed = clock.Elapsed;
            var (cpuApp, cpuAzurite, notices) = (app.CpuTime - appCpu, azurite.CpuTime - azuriteCpu, smtp.Messages - sentBefore);

            var after = await RawBatchRatesAsync(connectionString, options.BatchConcurrency, options.RawEntities);
            var usersPerSecond = options.Users / elapsed.TotalSeconds;
            result.UsersPerSecond.Add(usersPerSecond);
            result.RawInsert.Add((raw.Insert + after.Insert) / 2);
            result.RawMerge.Add((raw.Merge + after.Merge) / 2);
            result.InsertRatios.Add(usersPerSecond / result.RawInsert[^1]);
            result.MergeRatios.Add(usersPerSecond / result.RawMerge[^1]);
            Console.WriteLine(string.Create(C,
                $"enrolment run {tenant}: {elapsed.TotalSeconds:F1} s to summary ({usersPerSecond:N0} users/s, {notices:N0} notices meanwhile); CPU app {cpuApp.TotalSeconds:F1} s, Azurite {cpuAzurite.TotalSeconds:F1} s; raw after: insert {after.Insert:N0}/s, 2FA-field merge {after.Merge:N0}/s"));
            raw = after;
        }

        notes.Add(string.Create(C,
            $"enrolment: {options.Users:N0} users per run, {options.BatchConcurrency} batch messages in flight, notices throttled to {options.NoticeRate}/s (they go on after the summary); raw rates from {options.RawEntities:N0} user-sized entities in 100-entity transactions, {options.BatchConcurrency} in flight"));
        return result;
    }

    /// <summary>A fresh app process enrols <see cref="BenchmarkOptions.PeakUsers"/> users and sends every notice; returns its VmHWM.</summary>
    private static async Task<long> PeakAsync(string connectionString, SmtpRecorder smtp, BenchmarkOptions options, List<string> failed)
    {
        var storage = Storage(connectionString, out var prefix);
        const string Tenant = "peakco";
        await SeedAsync(storage, Tenant, options.PeakUsers, options.BatchConcurrency);
        await SeedAsync(storage, WarmUpTenant, WarmUpUsers, options.BatchConcurrency);
        using var app = await BenchmarkServers.AppAsync("Development", AppSettings(connectionString, prefix, smtp, options.BatchConcurrency, noticeRate: 5000));
        using var http = Client(app);
        var runs = new TableEnrolmentRunStore(storage);
        var sentBefore = smtp.Messages;
        await RunToSummaryAsync(http, runs, WarmUpTenant, WarmUpUsers, failed);
        await RunToSummaryAsync(http, runs, Tenant, options.PeakUsers, failed);

        // Every user's notice plus each admin's summary.
        await WaitForMessagesAsync(smtp, sentBefore + WarmUpUsers + options.PeakUsers + 2);
        return app.PeakWorkingSetBytes();
    }

    private static TableStorage Storage(string connectionString, out string prefix)
    {
        // Each app process gets tables of its own, so a run never reads another run's rows.
        prefix = "b" + string.Concat(Guid.NewGuid().ToString("N").Where(char.IsAsciiLetterLower).Concat("abcdefgh").Take(8));
        return new TableStorage(BenchmarkTables.Client(connectionString, TimeSpan.FromSeconds(60)), new StorageOptions { Prefix = prefix });
    }

    private static Dictionary<string, string?> AppSettings(string connectionString, string prefix, SmtpRecorder smtp, int concurrency, int noticeRate) => new()
    {
        ["AzureWebJobsStorage"] = connectionString,
        ["Storage:Prefix"] = prefix,
        ["AzureClients:Retry:NetworkTimeout"] = "00:00:30",
        ["Demo:Seed"] = "false",
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = smtp.Port.ToString(C),
        ["Smtp:Security"] = "None",
        ["Smtp:PoolSize"] = "8",
        ["Messaging:SecurityAlertAddress"] = "security@bench.example",
        ["DurableHubName"] = prefix + "hub",
        ["Durable:MaxConcurrentActivities"] = (concurrency + 4).ToString(C),
        ["Enrolment:MaxParallelBatches"] = concurrency.ToString(C),
        ["Notices:MaxPerSecond"] = noticeRate.ToString(C),
        ["Notices:Burst"] = noticeRate.ToString(C),
        ["Cleanup:Enabled"] = "false",
        ["Telemetry:Console"] = "false",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    private static HttpClient Client(AppProcess app)
    {
        var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Add("x-functions-key", FunctionKey);
        return http;
    }

    private static async Task WaitForMessagesAsync(SmtpRecorder smtp, long count)
    {
        var deadline = Stopwatch.StartNew();
        while (smtp.Messages < count)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(30))
            {
                throw new TimeoutException(string.Create(C, $"{smtp.Messages:N0} of {count:N0} messages arrived in 30 minutes."));
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Entities per second written as 100-entity transactions, <paramref name="concurrency"/> in flight: first inserting
    /// new user-sized rows (Azurite's fastest write), then merging the 2FA fields into those same rows — the one write
    /// an enrolment must make per user. On Azurite an update costs several times an insert; on Azure both are one
    /// entity write, so the insert rate is the stricter yardstick and both are printed.
    /// </summary>
    private static async Task<(double Insert, double Merge)> RawBatchRatesAsync(string connectionString, int concurrency, int entities)
    {
        var table = new TableServiceClient(connectionString).GetTableClient("raw" + Guid.NewGuid().ToString("N")[..12]);
        await table.CreateIfNotExistsAsync();
        var batches = Enumerable.Range(0, entities / 100).ToList();
        var stamp = DateTimeOffset.UtcNow;

        async Task<double> WriteAllAsync(Func<string, string, TableTransactionAction> action)
        {
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (b, ct) =>
            {
                var partition = "p" + (b % 64).ToString("D2", C);
                await table.SubmitTransactionAsync(Enumerable.Range(0, 100).Select(i => action(partition, $"r{b:D6}-{i:D3}")), ct);
            });
            return batches.Count * 100 / clock.Elapsed.TotalSeconds;
        }

        var insert = await WriteAllAsync((partition, id) => new TableTransactionAction(TableTransactionActionType.Add, UserRow(partition, id)));
        var merge = await WriteAllAsync((partition, id) => new TableTransactionAction(TableTransactionActionType.UpdateMerge, new TableEntity(partition, id)
        {
            ["TwoFactorEnabled"] = true, ["EnrolledAt"] = stamp, ["SecurityStamp"] = Guid.NewGuid().ToString("N"), ["LastRunId"] = "raw",
        }, ETag.All));
        await table.DeleteAsync();
        return (insert, merge);
    }

    /// <summary>PUT enabled=true, then polls the run row until the run is completed (summary sent).</summary>
    private static async Task RunToSummaryAsync(HttpClient http, TableEnrolmentRunStore runs, string tenant, int users, List<string> failed)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"api/tenants/{tenant}/two-factor") { Content = JsonContent.Create(new { enabled = true }) };
        request.Headers.Add("X-Actor-Id", Admin);
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT two-factor answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        var runId = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString()!;
        while (true)
        {
            // The summary step closes the run row once the summary is sent: that is the end of the measured span.
            var run = await runs.GetAsync(tenant, runId, CancellationToken.None) ?? throw new InvalidOperationException("run vanished");
            if (run.Status == Core.Enrolment.RunStatus.Completed)
            {
                if (run.Counters.Successful != users)
                {
                    failed.Add(string.Create(C, $"enrolment of {tenant}: expected {users} successful, the summary says {run.Counters.Successful} (failed {run.Counters.Failed})"));
                }

                return;
            }

            if (run.Status == Core.Enrolment.RunStatus.Failed)
            {
                throw new InvalidOperationException("The run failed: " + run.FailureReason);
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
            await storage.Accounts.SubmitTransactionAsync(actions, ct);
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
}
