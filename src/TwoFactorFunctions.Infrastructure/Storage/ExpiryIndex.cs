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
/// An index of expiring rows: PartitionKey = the hour the row may be deleted (yyyyMMddHH, UTC), RowKey =
/// <c>{purge ticks:D19}|{kind}|{partition key}|{row key}</c>. Table Storage has no TTL; this lets the cleanup read
/// exactly the expired rows (a range query on one partition) instead of scanning whole tables.
/// </summary>
public sealed class ExpiryIndex(TableStorage storage)
{
    public const string BucketFormat = "yyyyMMddHH";

    public Task TrackAsync(ExpiringKind kind, string partitionKey, string rowKey, DateTimeOffset purgeAt, CancellationToken cancellationToken) =>
        storage.Expiry.UpsertEntityAsync(Entry(kind, partitionKey, rowKey, purgeAt), TableUpdateMode.Replace, cancellationToken);

    public static TableEntity Entry(ExpiringKind kind, string partitionKey, string rowKey, DateTimeOffset purgeAt) =>
        new(Bucket(purgeAt), $"{purgeAt.UtcTicks:D19}|{(char)kind}|{partitionKey}|{rowKey}");

    public static string Bucket(DateTimeOffset at) => at.UtcDateTime.ToString(BucketFormat, CultureInfo.InvariantCulture);

    public static string TicksKey(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);
}
