using Azure.Data.Tables;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Infrastructure.Storage;

/// <summary>Account guards: PartitionKey = tenant id, RowKey = user id.</summary>
public sealed class TableAccountGuardStore(TableStorage storage) : IAccountGuardStore
{
    public async Task<AccountGuard> GetAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        var e = await TableStorage.GetOrNullAsync(storage.Guards, tenantId, userId, cancellationToken);
        return e is null
            ? new AccountGuard { TenantId = tenantId, UserId = userId }
            : new AccountGuard
            {
                TenantId = tenantId,
                UserId = userId,
                FailedCount = e.GetInt32(nameof(AccountGuard.FailedCount)) ?? 0,
                FailureWindowStart = e.GetDateTimeOffset(nameof(AccountGuard.FailureWindowStart)),
                LockedUntil = e.GetDateTimeOffset(nameof(AccountGuard.LockedUntil)),
                IssuedCount = e.GetInt32(nameof(AccountGuard.IssuedCount)) ?? 0,
                IssueWindowStart = e.GetDateTimeOffset(nameof(AccountGuard.IssueWindowStart)),
                Version = e.ETag.ToString(),
            };
    }

    public Task<bool> TrySaveAsync(AccountGuard guard, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(guard.TenantId, guard.UserId)
        {
            [nameof(AccountGuard.FailedCount)] = guard.FailedCount,
            [nameof(AccountGuard.FailureWindowStart)] = guard.FailureWindowStart,
            [nameof(AccountGuard.LockedUntil)] = guard.LockedUntil,
            [nameof(AccountGuard.IssuedCount)] = guard.IssuedCount,
            [nameof(AccountGuard.IssueWindowStart)] = guard.IssueWindowStart,
        };
        return TableStorage.TryWriteAsync(storage.Guards, entity, guard.Version, cancellationToken);
    }

    public Task DeleteAsync(string tenantId, string userId, CancellationToken cancellationToken) =>
        TableStorage.DeleteIfExistsAsync(storage.Guards, tenantId, userId, cancellationToken);
}
