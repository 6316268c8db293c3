using Azure.Data.Tables;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Infrastructure.Storage;

/// <summary>Account guards, in the Accounts table beside their user's profile (<see cref="AccountRows.Guard"/>).</summary>
public sealed class TableAccountGuardStore(TableStorage storage) : IAccountGuardStore
{
    public async Task<AccountGuard> GetAsync(string tenantId, string userId, CancellationToken cancellationToken) =>
        await TableStorage.GetOrNullAsync(storage.Accounts, tenantId, AccountRows.Guard(userId), cancellationToken) is { } e
            ? FromEntity(e, tenantId, userId)
            : new AccountGuard { TenantId = tenantId, UserId = userId };

    public Task<bool> TrySaveAsync(AccountGuard guard, CancellationToken cancellationToken) =>
        TableStorage.TryWriteAsync(storage.Accounts, ToEntity(guard), guard.Version, cancellationToken);

    public Task DeleteAsync(string tenantId, string userId, CancellationToken cancellationToken) =>
        TableStorage.DeleteIfExistsAsync(storage.Accounts, tenantId, AccountRows.Guard(userId), cancellationToken);

    internal static AccountGuard FromEntity(TableEntity e, string tenantId, string userId) => new()
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

    internal static TableEntity ToEntity(AccountGuard guard) => new(guard.TenantId, AccountRows.Guard(guard.UserId))
    {
        [nameof(AccountGuard.FailedCount)] = guard.FailedCount,
        [nameof(AccountGuard.FailureWindowStart)] = guard.FailureWindowStart,
        [nameof(AccountGuard.LockedUntil)] = guard.LockedUntil,
        [nameof(AccountGuard.IssuedCount)] = guard.IssuedCount,
        [nameof(AccountGuard.IssueWindowStart)] = guard.IssueWindowStart,
    };
}
