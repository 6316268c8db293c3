using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TwoFactorFunctions.Core.Telemetry;
using TwoFactorFunctions.Benchmarks.Reporting;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.Benchmarks.Cleanup;

/// <summary>
/// Seeds live and expired rows the way the stores write them (row + expiry index entry), then times one cleanup run.
/// Live rows share the tables with the expired ones and are indexed in the coming 30 days, so a cleanup that scanned
/// tables or the index would read them; the ratio shows it does not.
/// </summary>
internal static class CleanupBenchmark
{
    public const double Goal = 1.1;
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private const int Batch = 100;
    private const int Tenants = 50;

    public static async Task<BenchmarkOutcome> RunAsync(BenchmarkOptions options)
    {
        using var azurite = await BenchmarkServers.AzuriteAsync();
        var storage = new TableStorage(BenchmarkTables.Client(azurite.ConnectionString, TimeSpan.FromSeconds(100)), new StorageOptions { Prefix = "bench" });
        using var meters = BenchmarkTables.Meters();
        await Task.WhenAll(storage.All.Select(t => t.CreateIfNotExistsAsync()));

        var now = DateTimeOffset.UtcNow;
        var seedClock = Stopwatch.StartNew();
        await SeedAsync(storage, Blocks(storage, options.Live, now, expired: false, run: 0));
        Console.WriteLine(string.Create(C, $"cleanup: seeded {options.Live:N0} live rows and their index entries in {seedClock.Elapsed.TotalSeconds:F0} s"));

        var (ratios, seconds, rates, failed) = (new List<double>(), new List<double>(), new List<double>(), new List<string>());
        for (var run = 1; run <= options.Runs; run++)
        {
            await SeedAsync(storage, Blocks(storage, options.Expired, now, expired: true, run));

            // The cleanup sees the clock as it was when seeding began, so rows seeded as live are still live however
            // long seeding took; elapsed time is still measured on the real clock.
            var cleaner = new ExpiredDataCleaner(storage, new CleanupOptions { Parallelism = options.Parallelism }, new TwoFactorTelemetry(meters.GetRequiredService<IMeterFactory>()),
                new FixedNow(now), NullLogger<ExpiredDataCleaner>.Instance);
            var report = await cleaner.RunAsync(CancellationToken.None);
            Console.WriteLine(string.Create(C,
                $"cleanup run {run}: read {report.Read:N0}, deleted {report.Deleted:N0} in {report.Elapsed.TotalSeconds:F1} s ({report.ReadPerDeleted:F3} read per deleted)"));
            if (report.Deleted != options.Expired)
            {
                failed.Add(string.Create(C, $"cleanup run {run} deleted {report.Deleted:N0} of {options.Expired:N0} expired rows"));
            }

            ratios.Add(report.ReadPerDeleted);
            seconds.Add(report.Elapsed.TotalSeconds);
            rates.Add(report.Deleted / report.Elapsed.TotalSeconds);
        }

        long liveLeft = 0;
        await foreach (var _ in storage.Expiry.QueryAsync<TableEntity>(select: ["PartitionKey"]))
        {
            liveLeft++;
        }

        if (liveLeft != options.Live)
        {
            failed.Add(string.Create(C, $"cleanup left {liveLeft:N0} index entries; {options.Live:N0} live rows should be left"));
        }

        const string Name = "cleanup";
        return new BenchmarkOutcome(
            [
                new Figure(Name, "entities read per expired entity deleted", "ratio", Stats.Of(ratios), 3,
                    new Goal(string.Create(C, $"<= {Goal}"), r => r <= Goal)),
                new Figure(Name, string.Create(C, $"time to delete {options.Expired:N0} expired among {options.Live:N0} live"), "s", Stats.Of(seconds), 1),
                new Figure(Name, "expired entities deleted per second", "entities/s", Stats.Of(rates)),
            ],
            [string.Create(C, $"cleanup: {options.Live:N0} live rows kept through every run ({liveLeft:N0} index entries left), {options.Expired:N0} expired rows seeded afresh for each run, {options.Parallelism} deletes in flight")],
            failed);
    }

    private static async Task SeedAsync(TableStorage storage, IEnumerable<SeedBlock> blocks) =>
        await Parallel.ForEachAsync(blocks, new ParallelOptions { MaxDegreeOfParallelism = 24 }, async (block, ct) =>
        {
            await block.Table.SubmitTransactionAsync(block.Rows.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r.Target)), ct);
            // The index is sharded: a block's entries share an hour but not a partition.
            foreach (var shard in block.Rows.GroupBy(r => r.Index.PartitionKey))
            {
                await storage.Expiry.SubmitTransactionAsync(shard.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r.Index)), ct);
            }
        });

    private sealed class FixedNow(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed record SeedRow(TableEntity Target, TableEntity Index);

    private sealed record SeedBlock(TableClient Table, SeedRow[] Rows);

    /// <summary>
    /// Blocks of 100 rows of one kind, one partition and one purge hour, so each block is one transaction per table.
    /// Live rows purge within the next 30 days (a tenth of them later in the current hour); expired rows within the
    /// last 7 days (a tenth of them earlier in the current hour).
    /// </summary>
    private static IEnumerable<SeedBlock> Blocks(TableStorage storage, int count, DateTimeOffset now, bool expired, int run)
    {
        var random = new Random(run + 1);
        var hourStart = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var sinceHourStart = now - hourStart;
        var untilHourEnd = hourStart.AddHours(1) - now;
        for (var start = 0; start < count; start += Batch)
        {
            var size = Math.Min(Batch, count - start);
            var block = start / Batch;
            var (kind, table, partition) = (block % 3) switch
            {
                0 => (ExpiringKind.Challenge, storage.Accounts, $"tenant-{block % Tenants:D3}"),
                1 => (ExpiringKind.DeviceTrust, storage.Devices, $"tenant-{block % Tenants:D3}"),
                _ => (ExpiringKind.RunData, storage.Runs, $"run-{block % Tenants:D3}"),
            };

            // Within the current hour the block's purge times straddle nothing: all before now, or all after.
            var currentHour = block % 10 == 0;
            var hourBase = currentHour ? hourStart
                : expired ? hourStart.AddHours(-1 - random.Next(7 * 24)) : hourStart.AddHours(1 + random.Next(30 * 24));
            var rows = new SeedRow[size];
            for (var i = 0; i < size; i++)
            {
                var offset = currentHour
                    ? expired ? TimeSpan.FromTicks((long)(random.NextDouble() * (sinceHourStart.Ticks - 1))) : sinceHourStart + TimeSpan.FromTicks(1 + (long)(random.NextDouble() * (untilHourEnd.Ticks - 2)))
                    : TimeSpan.FromSeconds(random.Next(3600));
                var purgeAt = hourBase + offset;
                var rowKey = kind == ExpiringKind.DeviceTrust
                    ? $"user-{(start + i) % 997:D4}|{Tag(expired, run)}{start + i:D8}"
                    : $"{Tag(expired, run)}{start + i:D8}";
                rows[i] = new SeedRow(
                    new TableEntity(partition, rowKey) { ["CreatedAt"] = purgeAt.AddHours(-1), ["State"] = "seeded" },
                    ExpiryIndex.Entry(kind, partition, rowKey, purgeAt));
            }

            yield return new SeedBlock(table, rows);
        }
    }

    private static string Tag(bool expired, int run) => expired ? string.Create(C, $"x{run:D2}-") : "l";
}
