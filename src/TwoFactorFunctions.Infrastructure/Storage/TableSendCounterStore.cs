using Azure.Data.Tables;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Infrastructure.Storage;

/// <summary>Send counters in the Guards table: PartitionKey = <c>send|{scope}</c>, RowKey = the window.</summary>
public sealed class TableSendCounterStore(TableStorage storage, ExpiryIndex expiry) : ISendCounterStore
{
    public async Task<bool> TryIncrementAsync(string scope, string window, int limit, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var partitionKey = "send|" + scope;
        var incremented = await Optimistic.RetryAsync<bool>(async () =>
        {
            var row = await TableStorage.GetOrNullAsync(storage.Counters, partitionKey, window, cancellationToken);
            var count = row?.GetInt32("Count") ?? 0;
            if (count >= limit)
            {
                return false;
            }

            if (row is null)
            {
                await expiry.TrackAsync(ExpiringKind.SendCounter, partitionKey, window, expiresAt, cancellationToken);
            }

            var updated = new TableEntity(partitionKey, window) { ["Count"] = count + 1 };
            return await TableStorage.TryWriteAsync(storage.Counters, updated, row?.ETag.ToString(), cancellationToken) ? true : Optimistic.LostRace;
        }, cancellationToken);

        // Heavily contended: refusing is the safe answer for a cost guard.
        return incremented.IsSuccess && incremented.Value;
    }

    public async Task<int> GetAsync(string scope, string window, CancellationToken cancellationToken) =>
        (await TableStorage.GetOrNullAsync(storage.Counters, "send|" + scope, window, cancellationToken))?.GetInt32("Count") ?? 0;
}
