using Azure.Data.Tables;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Infrastructure.Storage;

/// <summary>Users: PartitionKey = tenant id, RowKey = user id. A tenant's users page in key order with continuation tokens.</summary>
public sealed class TableUserStore(TableStorage storage) : IUserStore
{
    public async Task<DirectoryUser?> GetAsync(string tenantId, string userId, CancellationToken cancellationToken) =>
        await TableStorage.GetOrNullAsync(storage.Users, tenantId, userId, cancellationToken) is { } e ? FromEntity(e) : null;

    // Merge, not replace: the portal owns these fields, this service owns the 2FA fields of the same row.
    public async Task UpsertProfileAsync(string tenantId, UserProfile profile, CancellationToken cancellationToken) =>
        await storage.Users.UpsertEntityAsync(ProfileEntity(tenantId, profile), TableUpdateMode.Merge, cancellationToken);

    public async Task UpsertProfilesAsync(string tenantId, IReadOnlyList<UserProfile> profiles, CancellationToken cancellationToken)
    {
        if (profiles.Count == 0)
        {
            return;
        }

        var actions = profiles.Select(p => new TableTransactionAction(TableTransactionActionType.UpsertMerge, ProfileEntity(tenantId, p)));
        await storage.Users.SubmitTransactionAsync(actions, cancellationToken);
    }

    public Task<bool> DeleteAsync(string tenantId, string userId, CancellationToken cancellationToken) =>
        TableStorage.DeleteIfExistsAsync(storage.Users, tenantId, userId, cancellationToken);

    public Task<bool> TryReplaceAsync(DirectoryUser user, CancellationToken cancellationToken) =>
        TableStorage.TryWriteAsync(storage.Users, ToEntity(user), user.Version, cancellationToken);

    public async Task<Page<DirectoryUser>> ListAsync(string tenantId, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {tenantId}");
        var pages = storage.Users.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken)
            .AsPages(continuationToken, pageSize);
        await foreach (var page in pages)
        {
            return new Page<DirectoryUser>(page.Values.Select(FromEntity).ToList(), page.ContinuationToken);
        }

        return new Page<DirectoryUser>([], null);
    }

    internal static DirectoryUser FromEntity(TableEntity e) => new()
    {
        TenantId = e.PartitionKey,
        UserId = e.RowKey,
        DisplayName = e.GetString(nameof(DirectoryUser.DisplayName)) ?? "",
        Email = NullIfEmpty(e.GetString(nameof(DirectoryUser.Email))),
        Phone = NullIfEmpty(e.GetString(nameof(DirectoryUser.Phone))),
        Role = TableStorage.Enum(e, nameof(DirectoryUser.Role), UserRole.User),
        Active = e.GetBoolean(nameof(DirectoryUser.Active)) ?? true,
        TwoFactorEnabled = e.GetBoolean(nameof(DirectoryUser.TwoFactorEnabled)) ?? false,
        VerifiedChannel = System.Enum.TryParse<Channel>(e.GetString(nameof(DirectoryUser.VerifiedChannel)), out var c) ? c : null,
        EnrolledAt = e.GetDateTimeOffset(nameof(DirectoryUser.EnrolledAt)),
        FirstSignInAt = e.GetDateTimeOffset(nameof(DirectoryUser.FirstSignInAt)),
        SecurityStamp = e.GetString(nameof(DirectoryUser.SecurityStamp)) ?? "",
        LastRunId = e.GetString(nameof(DirectoryUser.LastRunId)),
        Version = e.ETag.ToString(),
    };

    internal static TableEntity ToEntity(DirectoryUser u)
    {
        var entity = ProfileEntity(u.TenantId, new UserProfile(u.UserId, u.DisplayName, u.Email, u.Phone, u.Role, u.Active));
        entity[nameof(DirectoryUser.TwoFactorEnabled)] = u.TwoFactorEnabled;
        entity[nameof(DirectoryUser.VerifiedChannel)] = u.VerifiedChannel?.ToString();
        entity[nameof(DirectoryUser.EnrolledAt)] = u.EnrolledAt;
        entity[nameof(DirectoryUser.FirstSignInAt)] = u.FirstSignInAt;
        entity[nameof(DirectoryUser.SecurityStamp)] = u.SecurityStamp;
        entity[nameof(DirectoryUser.LastRunId)] = u.LastRunId;
        return entity;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static TableEntity ProfileEntity(string tenantId, UserProfile p) => new(tenantId, p.UserId)
    {
        [nameof(UserProfile.DisplayName)] = p.DisplayName,
        // Empty rather than null: a merge leaves out null properties, and a removed contact must really be removed.
        [nameof(UserProfile.Email)] = p.Email ?? "",
        [nameof(UserProfile.Phone)] = p.Phone ?? "",
        [nameof(UserProfile.Role)] = p.Role.ToString(),
        [nameof(UserProfile.Active)] = p.Active,
    };
}
