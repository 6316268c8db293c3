using Azure;
using Page = TwoFactorFunctions.Core.Storage.Page<string>;
using Azure.Data.Tables;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Enrolment;

namespace TwoFactorFunctions.Infrastructure.Storage;

/// <summary>
/// The users of the Accounts table as the enrolment steps need them. A tenant is one partition, so the listing pages its
/// keys, a batch reads its key range with one query, and a batch's changes go out as entity-group transactions. The
/// guard and challenge rows among the profiles (<see cref="AccountRows"/>) are skipped.
/// </summary>
public sealed class TableEnrolmentDirectory(TableStorage storage) : IEnrolmentDirectory
{
    private static readonly string[] KeyOnly = ["RowKey"];

    public async Task<Page> ListUserIdsAsync(string tenantId, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var pages = storage.Accounts.QueryAsync<TableEntity>(AccountRows.Profiles(tenantId), pageSize, KeyOnly, cancellationToken)
            .AsPages(continuationToken, pageSize);
        await foreach (var page in pages)
        {
            return new Page(page.Values.Select(e => e.RowKey).Where(AccountRows.IsProfile).ToList(), page.ContinuationToken);
        }

        return new Page([], null);
    }

    public async Task<IReadOnlyList<UserRead>> ReadRangeAsync(string tenantId, string? after, string last, CancellationToken cancellationToken)
    {
        var filter = after is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {tenantId} and RowKey ge {"+"} and RowKey le {last}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {tenantId} and RowKey gt {after} and RowKey le {last}");
        var users = new List<UserRead>();
        await foreach (var e in storage.Accounts.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            if (AccountRows.IsProfile(e.RowKey))
            {
                users.Add(Read(e));
            }
        }

        return users;
    }

    public async Task<bool> TryUpdateTwoFactorAsync(IReadOnlyList<DirectoryUser> users, CancellationToken cancellationToken)
    {
        if (users.Count == 0)
        {
            return true;
        }

        // A merge of the 2FA fields is far cheaper than replacing whole rows (on Azurite, updating 100 rows by merge
        // costs about half of replacing them) and leaves the portal's fields alone. A merge never removes a property:
        // a null EnrolledAt is simply not written.
        var actions = users.Select(u => new TableTransactionAction(TableTransactionActionType.UpdateMerge, new TableEntity(u.TenantId, u.UserId)
        {
            [nameof(DirectoryUser.TwoFactorEnabled)] = u.TwoFactorEnabled,
            [nameof(DirectoryUser.EnrolledAt)] = u.EnrolledAt,
            [nameof(DirectoryUser.SecurityStamp)] = u.SecurityStamp,
            [nameof(DirectoryUser.LastRunId)] = u.LastRunId,
        }, new ETag(u.Version!)));
        try
        {
            await storage.Accounts.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 404 or 409 or 412 && !TableStorage.IsTableMissing(ex))
        {
            return false;
        }
    }

    // A row that cannot be read (a property of the wrong type written by something else) fails that user only.
    private static UserRead Read(TableEntity entity)
    {
        try
        {
            return new UserRead(entity.RowKey, TableUserStore.FromEntity(entity));
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or InvalidCastException)
        {
            return new UserRead(entity.RowKey, null);
        }
    }
}
