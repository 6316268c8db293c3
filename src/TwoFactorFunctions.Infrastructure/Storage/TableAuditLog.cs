using System.Globalization;
using Azure.Data.Tables;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Infrastructure.Storage;

/// <summary>
/// Audit lines, in the tenant's partition of the Accounts table (<see cref="AccountRows.AuditPrefix"/> + inverted ticks +
/// sequence + random suffix), so a key-range query reads newest first, and a sign-in writes its line in the same
/// transaction as the change it records.
/// </summary>
public sealed class TableAuditLog(TableStorage storage) : IAuditLog
{
    // Events of one request often share a timestamp; a descending per-process sequence keeps them newest-first too.
    private static long _sequence = long.MaxValue;

    public async Task RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken) =>
        await storage.Accounts.AddEntityAsync(ToEntity(auditEvent), cancellationToken);

    internal static TableEntity ToEntity(AuditEvent auditEvent)
    {
        var inverted = (DateTimeOffset.MaxValue.UtcTicks - auditEvent.At.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);
        var sequence = Interlocked.Decrement(ref _sequence).ToString("D19", CultureInfo.InvariantCulture);
        return new TableEntity(auditEvent.TenantId, $"{AccountRows.AuditPrefix}{inverted}-{sequence}-{Ids.NewToken(6)}")
        {
            ["Type"] = auditEvent.Type.ToString(),
            ["At"] = auditEvent.At,
            ["UserId"] = auditEvent.UserId,
            ["ActorId"] = auditEvent.ActorId,
            ["Detail"] = auditEvent.Detail,
        };
    }

    public async Task<Page<AuditEvent>> ListAsync(string tenantId, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        await foreach (var page in storage.Accounts.QueryAsync<TableEntity>(AccountRows.Audit(tenantId), pageSize, cancellationToken: cancellationToken)
                           .AsPages(continuationToken, pageSize))
        {
            var items = page.Values.Select(e => new AuditEvent(
                e.PartitionKey,
                TableStorage.Enum(e, "Type", AuditEventType.SettingsChanged),
                e.GetDateTimeOffset("At") ?? default,
                e.GetString("UserId"),
                e.GetString("ActorId"),
                e.GetString("Detail") ?? "")).ToList();
            return new Page<AuditEvent>(items, page.ContinuationToken);
        }

        return new Page<AuditEvent>([], null);
    }
}
