using System.Globalization;
using Azure.Data.Tables;

namespace TwoFactorFunctions.Infrastructure.Storage;

/// <summary>The kinds of rows the cleanup removes; the letter is part of the index row key.</summary>
public enum ExpiringKind
{
    Challenge = 'c',
    DeviceTrust = 'd',
    RunData = 'r',
    SendCounter = 's',
}

/// <summary>
/// An index of expiring rows: PartitionKey = the hour the row may be deleted (yyyyMMddHH, UTC) and a shard,
/// <c>{hour}-{0..f}</c>; RowKey = <c>{purge ticks:D19}|{kind}|{partition key}|{row key}</c>. Table Storage has no TTL;
/// this lets the cleanup read exactly the expired rows (key-range queries) instead of scanning whole tables.
/// </summary>
/// <remarks>
/// Every sign-in of every tenant writes an entry, so one partition per hour would be the one partition they all share,
/// capping the deployment at a partition's ~2,000 entities per second. Sixteen shards, picked by a hash of the row
/// indexed (so tracking the same row again lands on the same entry), spread that over sixteen partitions; the cleanup
/// reads them all with the same two range queries.
/// </remarks>
public sealed class ExpiryIndex(TableStorage storage)
{
    public const string BucketFormat = "yyyyMMddHH";

    public const int Shards = 16;

    public Task TrackAsync(ExpiringKind kind, string partitionKey, string rowKey, DateTimeOffset purgeAt, CancellationToken cancellationToken) =>
        storage.Expiry.UpsertEntityAsync(Entry(kind, partitionKey, rowKey, purgeAt), TableUpdateMode.Replace, cancellationToken);

    public static TableEntity Entry(ExpiringKind kind, string partitionKey, string rowKey, DateTimeOffset purgeAt) =>
        new($"{Bucket(purgeAt)}-{Shard(partitionKey, rowKey):x1}", $"{purgeAt.UtcTicks:D19}|{(char)kind}|{partitionKey}|{rowKey}");

    /// <summary>The first key above every shard of <paramref name="bucket"/> ('.' follows '-').</summary>
    public static string AfterBucket(string bucket) => bucket + ".";

    public static string FirstOfBucket(string bucket) => bucket + "-";

    // FNV-1a: stable across processes and versions (string.GetHashCode is randomized per process).
    private static int Shard(string partitionKey, string rowKey)
    {
        var hash = 2166136261u;
        foreach (var c in partitionKey)
        {
            hash = (hash ^ c) * 16777619u;
        }

        foreach (var c in rowKey)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % Shards);
    }

    public static string Bucket(DateTimeOffset at) => at.UtcDateTime.ToString(BucketFormat, CultureInfo.InvariantCulture);

    public static string TicksKey(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);
}
