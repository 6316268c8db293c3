using Azure.Data.Tables;
using TwoFactorFunctions.Core.Devices;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Infrastructure.Storage;

/// <summary>Device trusts: PartitionKey = tenant id, RowKey = <c>{user id}|{device id}</c> (user ids cannot contain '|').</summary>
public sealed class TableDeviceTrustStore(TableStorage storage, ExpiryIndex expiry) : IDeviceTrustStore
{
    public async Task<DeviceTrust?> GetAsync(string tenantId, string userId, string deviceId, CancellationToken cancellationToken) =>
        await TableStorage.GetOrNullAsync(storage.Devices, tenantId, RowKey(userId, deviceId), cancellationToken) is { } e ? FromEntity(e) : null;

    public async Task InsertAsync(DeviceTrust trust, CancellationToken cancellationToken)
    {
        await expiry.TrackAsync(ExpiringKind.DeviceTrust, trust.TenantId, RowKey(trust.UserId, trust.DeviceId), trust.ExpiresAt, cancellationToken);
        await storage.Devices.AddEntityAsync(new TableEntity(trust.TenantId, RowKey(trust.UserId, trust.DeviceId))
        {
            [nameof(DeviceTrust.UserId)] = trust.UserId,
            [nameof(DeviceTrust.SecretHash)] = trust.SecretHash,
            [nameof(DeviceTrust.Label)] = trust.Label,
            [nameof(DeviceTrust.CreatedAt)] = trust.CreatedAt,
            [nameof(DeviceTrust.ExpiresAt)] = trust.ExpiresAt,
            [nameof(DeviceTrust.UserSecurityStamp)] = trust.UserSecurityStamp,
            [nameof(DeviceTrust.TenantTrustEpoch)] = trust.TenantTrustEpoch,
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<DeviceTrust>> ListAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        var list = new List<DeviceTrust>();
        await foreach (var e in QueryUser(tenantId, userId, cancellationToken))
        {
            list.Add(FromEntity(e));
        }

        return list;
    }

    public Task<bool> DeleteAsync(string tenantId, string userId, string deviceId, CancellationToken cancellationToken) =>
        TableStorage.DeleteIfExistsAsync(storage.Devices, tenantId, RowKey(userId, deviceId), cancellationToken);

    public async Task<int> DeleteAllAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var e in QueryUser(tenantId, userId, cancellationToken))
        {
            await TableStorage.DeleteIfExistsAsync(storage.Devices, tenantId, e.RowKey, cancellationToken);
            count++;
        }

        return count;
    }

    // A key range, not a property filter: "user|" up to "user}" ('}' sorts right after '|') covers exactly this user's rows.
    private Azure.AsyncPageable<TableEntity> QueryUser(string tenantId, string userId, CancellationToken cancellationToken)
    {
        var from = userId + "|";
        var to = userId + "}";
        return storage.Devices.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {tenantId} and RowKey gt {from} and RowKey lt {to}"),
            cancellationToken: cancellationToken);
    }

    private static string RowKey(string userId, string deviceId) => $"{userId}|{deviceId}";

    private static DeviceTrust FromEntity(TableEntity e) => new()
    {
        TenantId = e.PartitionKey,
        UserId = e.GetString(nameof(DeviceTrust.UserId)) ?? "",
        DeviceId = e.RowKey[(e.RowKey.IndexOf('|') + 1)..],
        SecretHash = e.GetBinary(nameof(DeviceTrust.SecretHash)) ?? [],
        Label = e.GetString(nameof(DeviceTrust.Label)),
        CreatedAt = e.GetDateTimeOffset(nameof(DeviceTrust.CreatedAt)) ?? default,
        ExpiresAt = e.GetDateTimeOffset(nameof(DeviceTrust.ExpiresAt)) ?? default,
        UserSecurityStamp = e.GetString(nameof(DeviceTrust.UserSecurityStamp)) ?? "",
        TenantTrustEpoch = e.GetInt32(nameof(DeviceTrust.TenantTrustEpoch)) ?? 0,
    };
}
