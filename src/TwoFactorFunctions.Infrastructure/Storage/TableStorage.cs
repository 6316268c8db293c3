using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace TwoFactorFunctions.Infrastructure.Storage;

/// <summary>The tables of the service and the few conditional-write primitives every store is built from.</summary>
public sealed class TableStorage
{
    /// <param name="service">The account's client, as registered (its retry and timeout settings are the app's).</param>
    public TableStorage(TableServiceClient service, StorageOptions options)
    {
        Service = service;
        var p = options.Prefix;
        Tenants = Service.GetTableClient(p + "Tenants");
        Accounts = Service.GetTableClient(p + "Accounts");
        Counters = Service.GetTableClient(p + "Counters");
        Devices = Service.GetTableClient(p + "Devices");
        Expiry = Service.GetTableClient(p + "Expiry");
        Runs = Service.GetTableClient(p + "Runs");
        Outbox = Service.GetTableClient(p + "Outbox");
        Calls = Service.GetTableClient(p + "Calls");
        Factors = Service.GetTableClient(p + "Factors");
    }

    public TableServiceClient Service { get; }

    public TableClient Tenants { get; }

    /// <summary>
    /// A tenant's users and what one sign-in reads and writes, in the tenant's partition (<see cref="AccountRows"/>):
    /// profiles, account guards, challenges and the audit log, so a sign-in is one query and one transaction.
    /// </summary>
    public TableClient Accounts { get; }

    /// <summary>Fixed-window send counters (per destination, per tenant budget).</summary>
    public TableClient Counters { get; }

    public TableClient Devices { get; }

    /// <summary>Time-bucketed index of rows that expire, so cleanup reads only what it deletes.</summary>
    public TableClient Expiry { get; }

    /// <summary>Enrolment runs and their per-user work items.</summary>
    public TableClient Runs { get; }

    /// <summary>Development-only outbox of SMS and voice messages.</summary>
    public TableClient Outbox { get; }

    /// <summary>Code calls in progress: the text to speak, until ACS reports the call played or ended.</summary>
    public TableClient Calls { get; }

    /// <summary>Users' authenticators (sealed TOTP secrets) and recovery-code hashes.</summary>
    public TableClient Factors { get; }

    public IEnumerable<TableClient> All => [Tenants, Accounts, Counters, Devices, Expiry, Runs, Outbox, Calls, Factors];

    public static async Task<TableEntity?> GetOrNullAsync(TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>
    /// Inserts when <paramref name="etag"/> is null, otherwise replaces only if the row still has that ETag.
    /// False means another writer got there first (409/412) or the row is gone (404): re-read and decide again.
    /// </summary>
    public static async Task<bool> TryWriteAsync(TableClient table, TableEntity entity, string? etag, CancellationToken cancellationToken)
    {
        try
        {
            if (etag is null)
            {
                await table.AddEntityAsync(entity, cancellationToken);
            }
            else
            {
                await table.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace, cancellationToken);
            }

            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412 && !IsTableMissing(ex))
        {
            return false;
        }
    }

    /// <summary>
    /// Submits an entity-group transaction; false when one of its conditions failed (an If-Match on a row that changed,
    /// an insert of a row that exists, a replace of one that is gone): nothing was written, re-read and decide again.
    /// </summary>
    public static async Task<bool> TrySubmitAsync(TableClient table, IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 404 or 409 or 412 && !IsTableMissing(ex))
        {
            return false;
        }
    }

    public static async Task<bool> DeleteIfExistsAsync(TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var response = await table.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken);
        return response.Status != 404;
    }

    public static bool IsTableMissing(RequestFailedException ex) => ex.ErrorCode == "TableNotFound";

    /// <summary>A binary property, with an empty value read as none (a hash or sealed secret is never empty).</summary>
    public static byte[]? Bytes(TableEntity e, string key) => e.GetBinary(key) is { Length: > 0 } value ? value : null;

    public static TEnum Enum<TEnum>(TableEntity e, string key, TEnum fallback)
        where TEnum : struct, Enum =>
        System.Enum.TryParse<TEnum>(e.GetString(key), out var value) ? value : fallback;

    /// <summary>How small nested values are kept as JSON in one property: the row stays a single point read.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A JSON property, or <paramref name="fallback"/> when it is absent or empty.</summary>
    public static T FromJson<T>(TableEntity e, string key, T fallback)
    {
        if (e.GetString(key) is not { Length: > 0 } json)
        {
            return fallback;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json, Json) ?? fallback;
        }
        catch (JsonException ex)
        {
            // Not the caller's bad input (which a JsonException would be taken for): a damaged row is a server fault.
            throw new InvalidOperationException($"The {key} property of row {e.PartitionKey}/{e.RowKey} is not readable.", ex);
        }
    }

    public static string ToJson<T>(T value) => JsonSerializer.Serialize(value, Json);
}
