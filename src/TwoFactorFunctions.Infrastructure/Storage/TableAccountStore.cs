using Azure;
using Azure.Data.Tables;
using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Infrastructure.Storage;

/// <summary>
/// A user's sign-in rows in the Accounts table (<see cref="AccountRows"/>): read with one key-range query, changed with
/// one entity-group transaction in which every replaced row carries the ETag it was read with.
/// </summary>
public sealed class TableAccountStore(TableStorage storage, ExpiryIndex expiry) : IAccountStore
{
    public async Task<Account> ReadAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        Core.Directory.DirectoryUser? user = null;
        AccountGuard? guard = null;
        var challenges = new List<Challenge>();
        var guardKey = AccountRows.Guard(userId);
        await foreach (var e in storage.Accounts.QueryAsync<TableEntity>(AccountRows.UserRange(tenantId, userId), cancellationToken: cancellationToken))
        {
            if (e.RowKey == userId)
            {
                user = TableUserStore.FromEntity(e);
            }
            else if (e.RowKey == guardKey)
            {
                guard = TableAccountGuardStore.FromEntity(e, tenantId, userId);
            }
            else if (TableChallengeStore.FromEntity(e, userId) is { } challenge)
            {
                challenges.Add(challenge);
            }
        }

        return new Account(user, guard ?? new AccountGuard { TenantId = tenantId, UserId = userId }, challenges);
    }

    public async Task<bool> TryCommitAsync(AccountChange change, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction>(3 + change.Audit.Count);
        if (change.Guard is { } guard)
        {
            actions.Add(Write(TableAccountGuardStore.ToEntity(guard), guard.Version));
        }

        if (change.Challenge is { } challenge)
        {
            if (challenge.Version is null)
            {
                // Indexed before it exists, so a crash between the two writes leaves at worst an index entry with nothing to delete.
                var purgeAt = change.ChallengePurgeAt ?? throw new ArgumentException("A new challenge needs its purge time.", nameof(change));
                await expiry.TrackAsync(ExpiringKind.Challenge, challenge.TenantId, TableChallengeStore.RowKey(challenge), purgeAt, cancellationToken);
            }

            actions.Add(Write(TableChallengeStore.ToEntity(challenge), challenge.Version));
        }

        if (change.User is { } user)
        {
            actions.Add(Write(TableUserStore.ToEntity(user), user.Version ?? throw new ArgumentException("Only a user as read can be replaced.", nameof(change))));
        }

        actions.AddRange(change.Audit.Select(a => new TableTransactionAction(TableTransactionActionType.Add, TableAuditLog.ToEntity(a))));
        return actions.Count == 0 || await TableStorage.TrySubmitAsync(storage.Accounts, actions, cancellationToken);
    }

    private static TableTransactionAction Write(TableEntity entity, string? version) => version is null
        ? new TableTransactionAction(TableTransactionActionType.Add, entity)
        : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, new ETag(version));
}
