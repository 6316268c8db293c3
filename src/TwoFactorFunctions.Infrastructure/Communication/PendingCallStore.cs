using Azure.Data.Tables;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.Infrastructure.Communication;

/// <summary>
/// The text a code call will speak, from the moment the call is placed until ACS reports it played or ended.
/// PartitionKey = pending-call id (a hex UUID, the call's operation context), RowKey = "call". The row is deleted when
/// the call ends; <c>ExpiresAt</c> stops a late-connecting call from speaking a stale code.
/// </summary>
public sealed class PendingCallStore(TableStorage storage, AcsOptions options, TimeProvider time)
{
    private const string RowKey = "call";

    public sealed record PendingCall(string Id, string Text, DateTimeOffset ExpiresAt);

    public static bool IsValidId(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);

    public Task SaveAsync(string id, string text, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var entity = new TableEntity(id, RowKey)
        {
            ["Text"] = text,
            ["CreatedAt"] = now,
            ["ExpiresAt"] = now + options.PendingCallLifetime,
        };
        return storage.Calls.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>The pending call, or null when unknown, already finished, or expired.</summary>
    public async Task<PendingCall?> GetLiveAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsValidId(id) || await TableStorage.GetOrNullAsync(storage.Calls, id, RowKey, cancellationToken) is not { } e)
        {
            return null;
        }

        var expiresAt = e.GetDateTimeOffset("ExpiresAt") ?? DateTimeOffset.MinValue;
        return expiresAt > time.GetUtcNow() ? new PendingCall(id, e.GetString("Text") ?? "", expiresAt) : null;
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        if (IsValidId(id))
        {
            await TableStorage.DeleteIfExistsAsync(storage.Calls, id, RowKey, cancellationToken);
        }
    }
}
