using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.Benchmarks;

internal sealed record CleanupBenchmarkResult(int Live, int Expired, CleanupReport Report, TimeSpan SeedTime, long LiveLeft)
{
    public string Table()
    {
        var c = CultureInfo.InvariantCulture;
        string[] head = ["live", "expired", "read", "deleted", "read/deleted", "seconds", "cores", "seed seconds", "live left"];
        string[] row =
        [
            Live.ToString("N0", c), Expired.ToString("N0", c), Report.Read.ToString("N0", c), Report.Deleted.ToString("N0", c),
            Report.ReadPerDeleted.ToString("F3", c), Report.Elapsed.TotalSeconds.ToString("F1", c), Environment.ProcessorCount.ToString(c),
            SeedTime.TotalSeconds.ToString("F0", c), LiveLeft.ToString("N0", c),
        ];
        var widths = head.Select((h, i) => Math.Max(h.Length, row[i].Length)).ToArray();
        var text = new StringBuilder();
        text.AppendLine("| " + string.Join(" | ", head.Select((h, i) => h.PadLeft(widths[i]))) + " |");
        text.AppendLine("|" + string.Join("|", widths.Select(w => new string('-', w + 1) + ":")) + "|");
        text.Append("| " + string.Join(" | ", row.Select((v, i) => v.PadLeft(widths[i]))) + " |");
        return text.ToString();
    }
}

/// <summary>
/// Seeds live and expired rows the way the stores write them (row + expiry index entry), then times one cleanup run.
/// Live rows share the tables with the expired ones and are indexed in the coming 30 days, so a cleanup that scanned
/// tables or the index would read them; the ratio shows it does not.
/// </summary>
internal static class CleanupBenchmark
{
    public const double Goal = 1.1;
    private const int Batch = 100;
    private const int Tenants = 50;

    public static async Task<CleanupBenchmarkResult> RunAsync(string connectionString, BenchmarkArguments args)
    {
        var storage = new TableStorage(new StorageOptions { ConnectionString = connectionString, Prefix = "bench", NetworkTimeout = TimeSpan.FromSeconds(100), MaxRetries = 5 },
            new Azure.Identity.DefaultAzureCredential());
        await Task.WhenAll(storage.All.Select(t => t.CreateIfNotExistsAsync()));

        var now = DateTimeOffset.UtcNow;
        var seedClock = Stopwatch.StartNew();
        var blocks = Blocks(storage, args.Live, now, expired: false).Concat(Blocks(storage, args.Expired, now, expired: true)).ToList();
        var written = 0L;
        var total = (args.Live + args.Expired) * 2L;
        await Parallel.ForEachAsync(blocks, new ParallelOptions { MaxDegreeOfParallelism = 24 }, async (block, ct) =>
        {
            await block.Table.SubmitTransactionAsync(block.Rows.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r.Target)), ct);
            await storage.Expiry.SubmitTransactionAsync(block.Rows.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r.Index)), ct);
            var done = Interlocked.Add(ref written, block.Rows.Length * 2L);
            if (done / 200_000 != (done - (block.Rows.Length * 2L)) / 200_000)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {done:N0} / {total:N0} entities ({seedClock.Elapsed.TotalSeconds:F0} s)"));
            }
        });
        seedClock.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {total:N0} entities in {seedClock.Elapsed.TotalSeconds:F0} s; running the cleanup"));

        // The cleanup sees the clock as it was when seeding began, so rows seeded as live are still live however long
        // seeding took; elapsed time is still measured on the real clock.
        var cleaner = new ExpiredDataCleaner(storage, new CleanupOptions { Parallelism = args.Parallelism }, new FixedNow(now), NullLogger<ExpiredDataCleaner>.Instance);
        var report = await cleaner.RunAsync(CancellationToken.None);

        long liveLeft = 0;
        await foreach (var _ in storage.Expiry.QueryAsync<TableEntity>(select: ["PartitionKey"]))
        {
            liveLeft++;
        }

        return new CleanupBenchmarkResult(args.Live, args.Expired, report, seedClock.Elapsed, liveLeft);
    }

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
    private static IEnumerable<SeedBlock> Blocks(TableStorage storage, int count, DateTimeOffset now, bool expired)
    {
        var random = new Random(expired ? 2 : 1);
        var hourStart = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var sinceHourStart = now - hourStart;
        var untilHourEnd = hourStart.AddHours(1) - now;
        for (var start = 0; start < count; start += Batch)
        {
            var size = Math.Min(Batch, count - start);
            var block = start / Batch;
            var (kind, table, partition) = (block % 3) switch
            {
                0 => (ExpiringKind.Challenge, storage.Challenges, $"tenant-{block % Tenants:D3}"),
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
                    ? $"user-{(start + i) % 997:D4}|{(expired ? 'x' : 'l')}{start + i:D8}"
                    : $"{(expired ? 'x' : 'l')}{start + i:D8}";
                rows[i] = new SeedRow(
                    new TableEntity(partition, rowKey) { ["CreatedAt"] = purgeAt.AddHours(-1), ["State"] = "seeded" },
                    ExpiryIndex.Entry(kind, partition, rowKey, purgeAt));
            }

            yield return new SeedBlock(table, rows);
        }
    }
}
