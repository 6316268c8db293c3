using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using TwoFactorFunctions.Core.Telemetry;

namespace TwoFactorFunctions.Infrastructure.Storage;

/// <summary>What one cleanup run did.</summary>
/// <param name="Read">Entities read from storage (index rows).</param>
/// <param name="Deleted">Expired entries removed (each: its row, if still there, and its index row).</param>
/// <param name="Missing">Of those, entries whose row was already gone (revoked, or removed by a concurrent run).</param>
public sealed record CleanupReport(long Read, long Deleted, long Missing, TimeSpan Elapsed)
{
    public double ReadPerDeleted => Deleted == 0 ? 0 : (double)Read / Deleted;
}

/// <summary>
/// Deletes expired challenges, device trusts and finished-run data through the <see cref="ExpiryIndex"/>.
/// <para>
/// Only expired index rows are ever read: the index is keyed by purge hour (and shard), so "every hour before the current
/// one" is one key-range query that starts at the oldest remaining row (processed rows are deleted, so nothing is
/// skipped over), and the current hour's shards are a row-key range below now. Neither touches a live row, so the cost follows the
/// number of expired rows, not the size of any table. No checkpoint is kept: an hour missed by a failed run is simply
/// still there next time.
/// </para>
/// <para>
/// Rows are deleted before their index rows, in batch transactions grouped by table and partition; a crash in
/// between leaves index rows whose rows are gone, which the next run deletes as missing. Deletes are unconditional and
/// a missing row is not an error, so two runs at once (scale-out, or a manual run during the schedule) are safe.
/// </para>
/// </summary>
public sealed partial class ExpiredDataCleaner(TableStorage storage, CleanupOptions options, TwoFactorTelemetry telemetry, TimeProvider time,
    ILogger<ExpiredDataCleaner> logger)
{
    private const int MaxBatch = 100;
    private static readonly string[] KeysOnly = ["PartitionKey", "RowKey"];

    public async Task<CleanupReport> RunAsync(CancellationToken cancellationToken)
    {
        using var span = TwoFactorTelemetry.Source.StartActivity("Cleanup");
        var started = time.GetTimestamp();
        var now = time.GetUtcNow();
        var bucket = ExpiryIndex.Bucket(now);
        var nowKey = ExpiryIndex.TicksKey(now);
        var counters = new Counters();

        string[] filters =
        [
            TableClient.CreateQueryFilter($"PartitionKey lt {bucket}"),
            TableClient.CreateQueryFilter(
                $"PartitionKey ge {ExpiryIndex.FirstOfBucket(bucket)} and PartitionKey lt {ExpiryIndex.AfterBucket(bucket)} and RowKey lt {nowKey}"),
        ];

        var round = new List<TableEntity>(options.RoundSize);
        foreach (var filter in filters)
        {
            await foreach (var row in storage.Expiry.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: KeysOnly, cancellationToken: cancellationToken))
            {
                counters.Read++;
                round.Add(row);
                if (round.Count >= options.RoundSize)
                {
                    await DeleteRoundAsync(round, counters, cancellationToken);
                    round.Clear();
                }
            }
        }

        await DeleteRoundAsync(round, counters, cancellationToken);

        var report = new CleanupReport(counters.Read, counters.Deleted, counters.Missing, time.GetElapsedTime(started));
        telemetry.CleanupRowsDeleted(report.Deleted);
        span?.SetTag("tff.rows_deleted", report.Deleted);
        LogCompleted(logger, report.Read, report.Deleted, report.Missing, report.Elapsed.TotalMilliseconds);
        return report;
    }

    private async Task DeleteRoundAsync(List<TableEntity> round, Counters counters, CancellationToken cancellationToken)
    {
        if (round.Count == 0)
        {
            return;
        }

        var entries = round.Select(r => new Entry(r.PartitionKey, r.RowKey, Target(r.RowKey))).ToList();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken };

        // The same row can be indexed twice (tracked again with a later purge time); a batch may name an entity only once.
        var targetBatches = entries
            .Where(e => e.Target is not null)
            .Select(e => e.Target!.Value)
            .Distinct()
            .GroupBy(t => (t.Table.Name, t.PartitionKey))
            .SelectMany(g => g.Chunk(MaxBatch).Select(chunk => (Table: chunk[0].Table, Keys: chunk.Select(t => (t.PartitionKey, t.RowKey)).ToArray())))
            .ToList();

        await Parallel.ForEachAsync(targetBatches, parallel, async (batch, ct) =>
        {
            var missing = await DeleteBatchAsync(batch.Table, batch.Keys, ct);
            Interlocked.Add(ref counters.Missing, missing);
        });

        var indexBatches = entries
            .GroupBy(e => e.IndexPartition)
            .SelectMany(g => g.Chunk(MaxBatch).Select(chunk => chunk.Select(e => (e.IndexPartition, e.IndexRow)).ToArray()))
            .ToList();

        await Parallel.ForEachAsync(indexBatches, parallel, async (keys, ct) =>
        {
            await DeleteBatchAsync(storage.Expiry, keys, ct);
            Interlocked.Add(ref counters.Deleted, keys.Length);
        });
    }

    /// <summary>Deletes the rows in one transaction; if one is already gone the transaction fails as a whole, so fall back to one by one.</summary>
    /// <returns>How many of the rows were already gone.</returns>
    private static async Task<long> DeleteBatchAsync(TableClient table, (string PartitionKey, string RowKey)[] keys, CancellationToken cancellationToken)
    {
        try
        {
            await table.SubmitTransactionAsync(
                keys.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(k.PartitionKey, k.RowKey), ETag.All)),
                cancellationToken);
            return 0;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 404 && !TableStorage.IsTableMissing(ex))
        {
            long missing = 0;
            foreach (var (pk, rk) in keys)
            {
                if (!await TableStorage.DeleteIfExistsAsync(table, pk, rk, cancellationToken))
                {
                    missing++;
                }
            }

            return missing;
        }
    }

    /// <summary>The row an index entry points at; null for an entry that cannot be read, which is then only unindexed.</summary>
    private TargetRow? Target(string indexRowKey)
    {
        // {ticks}|{kind}|{partition key}|{row key}; the row key may itself contain '|' (device trusts), the others do not.
        var parts = indexRowKey.Split('|', 4);
        if (parts.Length != 4 || parts[1].Length != 1 || parts[2].Length == 0 || parts[3].Length == 0)
        {
            LogUnreadableEntry(logger, indexRowKey.Length);
            return null;
        }

        TableClient? table = (ExpiringKind)parts[1][0] switch
        {
            ExpiringKind.Challenge => storage.Accounts,
            ExpiringKind.DeviceTrust => storage.Devices,
            ExpiringKind.RunData => storage.Runs,
            ExpiringKind.SendCounter => storage.Counters,
            _ => null,
        };

        if (table is null)
        {
            LogUnknownKind(logger, parts[1][0]);
            return null;
        }

        return new TargetRow(table, parts[2], parts[3]);
    }

    private readonly record struct TargetRow(TableClient Table, string PartitionKey, string RowKey);

    private sealed record Entry(string IndexPartition, string IndexRow, TargetRow? Target);

    private sealed class Counters
    {
        public long Read;
        public long Deleted;
        public long Missing;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cleanup read {Read} index rows, removed {Deleted} expired entries ({Missing} already gone) in {ElapsedMs} ms")]
    private static partial void LogCompleted(ILogger logger, long read, long deleted, long missing, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Expiry index entry of length {Length} is not in the expected format; removing it only")]
    private static partial void LogUnreadableEntry(ILogger logger, int length);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Expiry index entry of unknown kind '{Kind}'; removing it only")]
    private static partial void LogUnknownKind(ILogger logger, char kind);
}
