using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using TwoFactorFunctions.Benchmarks.Reporting;
using TwoFactorFunctions.TestSupport;

namespace TwoFactorFunctions.Benchmarks.SignIn;

/// <summary>
/// Challenge + verify through the real HTTP endpoints of the app (a separate process, Kestrel on loopback, codes read
/// from the delivered SMTP messages), against the same Azurite driven directly with the storage operations one
/// challenge + verify needs. Both at the same fixed concurrency; each figure is the median of several runs.
/// </summary>
internal static class SignInBenchmark
{
    public const double Goal = 0.7;

    /// <summary>What one challenge + verify must do in storage, in the app's design: listed, and driven raw.</summary>
    public static readonly string[] RawOperations =
    [
        "read tenant", "read user", "read account guard", "write account guard (rate limit, If-Match)",
        "write expiry index", "insert challenge", "insert audit (sent)",
        "read challenge", "read account guard + tenant + user (together: the sign-in is re-checked as it is now)", "write account guard (If-Match)",
        "replace challenge (If-Match)", "insert audit (verified)",
    ];

    private const string Key = "benchmark-key";
    private const string Prefix = "bench";

    public static async Task<BenchmarkOutcome> RunAsync(BenchmarkOptions options)
    {
        using var azurite = await BenchmarkServers.AzuriteAsync();
        var connectionString = azurite.ConnectionString;
        var (flows, concurrency) = (options.Flows, options.Concurrency);
        await using var sink = new SmtpRecorder(keepMail: false);
        using var app = await BenchmarkServers.AppAsync("Production", new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = connectionString,
            ["Storage:Prefix"] = Prefix,
            ["TwoFactor:CodeHashSecret"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["TwoFactor:MaxChallengesPerWindow"] = "1000",
            ["FunctionKeys:Keys:0:Name"] = "bench",
            ["FunctionKeys:Keys:0:Sha256"] = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Key))),
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = sink.Port.ToString(CultureInfo.InvariantCulture),
            ["Smtp:Security"] = "None",
            ["Smtp:PoolSize"] = "32",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Durable:WorkerEnabled"] = "false",
            ["Cleanup:Enabled"] = "false",
            ["Telemetry:Console"] = "false",
        });
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        http.DefaultRequestHeaders.Add("x-functions-key", Key);

        var tenant = "bench-" + Guid.NewGuid().ToString("N")[..8];
        await SeedAsync(http, connectionString, tenant, flows);

        // Warm-up: JIT, connection pools, and each user's first proof of the channel (a one-time user update).
        await DriveAsync(flows, concurrency, i => AppFlowAsync(http, sink, tenant, i));

        var raw = new RawStorage(connectionString);
        await raw.SeedAsync(flows);
        await DriveAsync(flows, concurrency, raw.FlowAsync);

        // App and raw runs alternate, and each ratio pairs neighbours, so a drift in the machine's load hits both sides.
        var appRates = new List<double>();
        var rawRates = new List<double>();
        var ratios = new List<double>();
        for (var run = 0; run < options.Runs; run++)
        {
            appRates.Add(await DriveAsync(flows, concurrency, i => AppFlowAsync(http, sink, tenant, i)));
            rawRates.Add(await DriveAsync(flows, concurrency, raw.FlowAsync));
            ratios.Add(appRates[^1] / rawRates[^1]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sign-in run {run + 1}: app {appRates[^1]:F1} flows/s, raw {rawRates[^1]:F1} flows/s"));
        }

        const string Name = "sign-in";
        return new BenchmarkOutcome(
            [
                new Figure(Name, "challenge + email + verify over HTTP", "flows/s", Stats.Of(appRates), 1),
                new Figure(Name, "the same storage operations on raw Azurite", "flows/s", Stats.Of(rawRates), 1),
                new Figure(Name, "app / raw (paired runs)", "ratio", Stats.Of(ratios), 2,
                    new Goal(string.Create(CultureInfo.InvariantCulture, $">= {Goal}"), r => r >= Goal)),
            ],
            [
                string.Create(CultureInfo.InvariantCulture,
                    $"sign-in: {flows:N0} flows per run, {concurrency} in flight; app peak working set over all runs {app.PeakWorkingSetBytes() / 1048576} MB"),
                "sign-in raw operations per flow: " + string.Join("; ", RawOperations),
            ],
            []);
    }

    private static async Task AppFlowAsync(HttpClient http, SmtpRecorder sink, string tenant, int i)
    {
        var user = $"u{i:D5}";
        var code = sink.NextCodeAsync($"{user}@bench.example");
        var created = await http.PostAsJsonAsync($"/api/tenants/{tenant}/challenges", new { userId = user });
        created.EnsureSuccessStatusCode();
        var challengeId = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("challenge").GetProperty("challengeId").GetString();
        var verified = await http.PostAsJsonAsync($"/api/tenants/{tenant}/challenges/{challengeId}/verify", new { code = await code.WaitAsync(TimeSpan.FromSeconds(30)) });
        verified.EnsureSuccessStatusCode();
    }

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
        (await http.PutAsJsonAsync($"/api/tenants/{tenant}", new { displayName = "Bench", defaultRegion = "AU" })).EnsureSuccessStatusCode();
        var people = Enumerable.Range(0, users).Select(i => new { userId = $"u{i:D5}", displayName = $"User {i}", email = $"u{i:D5}@bench.example" });
        (await http.PostAsJsonAsync($"/api/tenants/{tenant}/user-imports", people)).EnsureSuccessStatusCode();

        // Switching 2FA on through storage keeps this benchmark about sign-in, not the enrolment run.
        var tenants = new TableClient(connectionString, Prefix + "Tenants");
        await tenants.UpdateEntityAsync(new TableEntity(tenant, "") { ["TwoFactorEnabled"] = true }, ETag.All, TableUpdateMode.Merge);
    }

    /// <summary>The same tables and entity shapes, driven without the app.</summary>
    private sealed class RawStorage(string connectionString)
    {
        private readonly TableClient _tenants = new(connectionString, "rawTenants");
        private readonly TableClient _users = new(connectionString, "rawUsers");
        private readonly TableClient _guards = new(connectionString, "rawGuards");
        private readonly TableClient _challenges = new(connectionString, "rawChallenges");
        private readonly TableClient _expiry = new(connectionString, "rawExpiry");
        private readonly TableClient _audit = new(connectionString, "rawAudit");

        public async Task SeedAsync(int users)
        {
            foreach (var table in new[] { _tenants, _users, _guards, _challenges, _expiry, _audit })
            {
                await table.CreateIfNotExistsAsync();
            }

            await _tenants.UpsertEntityAsync(new TableEntity("t", "") { ["TwoFactorEnabled"] = true, ["Channel"] = "Email" });
            foreach (var chunk in Enumerable.Range(0, users).Chunk(100))
            {
                await _users.SubmitTransactionAsync(chunk.Select(i => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                    new TableEntity("t", $"u{i:D5}") { ["Email"] = $"u{i:D5}@bench.example", ["Active"] = true })));
            }
        }

        public async Task FlowAsync(int i)
        {
            var user = $"u{i:D5}";
            var challengeId = Guid.NewGuid().ToString("N");
            var now = DateTimeOffset.UtcNow;

            await _tenants.GetEntityIfExistsAsync<TableEntity>("t", "");
            await _users.GetEntityIfExistsAsync<TableEntity>("t", user);
            var guard = await _guards.GetEntityIfExistsAsync<TableEntity>("t", user);
            var guardEntity = new TableEntity("t", user) { ["IssuedCount"] = 1, ["IssueWindowStart"] = now, ["FailedCount"] = 0 };
            if (guard.HasValue)
            {
                await _guards.UpdateEntityAsync(guardEntity, guard.Value!.ETag, TableUpdateMode.Replace);
            }
            else
            {
                await _guards.AddEntityAsync(guardEntity);
            }

            await _expiry.UpsertEntityAsync(new TableEntity(now.ToString("yyyyMMddHH", CultureInfo.InvariantCulture), $"{now.UtcTicks:D19}|c|t|{challengeId}"), TableUpdateMode.Replace);
            await _challenges.AddEntityAsync(new TableEntity("t", challengeId)
            {
                ["UserId"] = user, ["Destination"] = $"{user}@bench.example", ["Status"] = "Pending", ["CodeHash"] = new byte[32],
                ["CodeVersion"] = 1, ["Sends"] = 1, ["FailedAttempts"] = 0, ["CreatedAt"] = now, ["ExpiresAt"] = now.AddMinutes(5),
            });
            await _audit.AddEntityAsync(new TableEntity("t", Guid.NewGuid().ToString("N")) { ["Type"] = "ChallengeSent", ["At"] = now });

            var challenge = (await _challenges.GetEntityAsync<TableEntity>("t", challengeId)).Value;
            var guardRead = _guards.GetEntityAsync<TableEntity>("t", user);
            await Task.WhenAll(guardRead, _tenants.GetEntityIfExistsAsync<TableEntity>("t", ""), _users.GetEntityIfExistsAsync<TableEntity>("t", user));
            var checkedGuard = (await guardRead).Value;
            await _guards.UpdateEntityAsync(checkedGuard, checkedGuard.ETag, TableUpdateMode.Replace);
            challenge["Status"] = "Verified";
            challenge["VerifiedAt"] = now;
            await _challenges.UpdateEntityAsync(challenge, challenge.ETag, TableUpdateMode.Replace);
            await _audit.AddEntityAsync(new TableEntity("t", Guid.NewGuid().ToString("N")) { ["Type"] = "VerifySucceeded", ["At"] = now });
        }
    }
}
