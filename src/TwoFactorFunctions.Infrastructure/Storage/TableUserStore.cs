using Azure.Data.Tables;
using TwoFactorFunctions.Core.Actions;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Infrastructure.Storage;

/// <summary>
/// User profiles, in the Accounts table (<see cref="AccountRows"/>): PartitionKey = tenant id, RowKey = user id. A tenant's
/// users page in key order with continuation tokens; the guard and challenge rows between them are skipped, so a page
/// may hold fewer users than asked for.
/// </summary>
public sealed class TableUserStore(TableStorage storage) : IUserStore
{
    public async Task<DirectoryUser?> GetAsync(string tenantId, string userId, CancellationToken cancellationToken) =>
        await TableStorage.GetOrNullAsync(storage.Accounts, tenantId, userId, cancellationToken) is { } e ? FromEntity(e) : null;

    // Merge, not replace: the portal owns these fields, this service owns the 2FA fields of the same row.
    public async Task UpsertProfileAsync(string tenantId, UserProfile profile, CancellationToken cancellationToken) =>
        await storage.Accounts.UpsertEntityAsync(ProfileEntity(tenantId, profile), TableUpdateMode.Merge, cancellationToken);

    public async Task UpsertProfilesAsync(string tenantId, IReadOnlyList<UserProfile> profiles, CancellationToken cancellationToken)
    {
        if (profiles.Count == 0)
        {
            return;
        }

        var actions = profiles.Select(p => new TableTransactionAction(TableTransactionActionType.UpsertMerge, ProfileEntity(tenantId, p)));
        await storage.Accounts.SubmitTransactionAsync(actions, cancellationToken);
    }

    public Task<bool> DeleteAsync(string tenantId, string userId, CancellationToken cancellationToken) =>
        TableStorage.DeleteIfExistsAsync(storage.Accounts, tenantId, userId, cancellationToken);

    public Task<bool> TryReplaceAsync(DirectoryUser user, CancellationToken cancellationToken) =>
        TableStorage.TryWriteAsync(storage.Accounts, ToEntity(user), user.Version, cancellationToken);

    public async Task<Page<DirectoryUser>> ListAsync(string tenantId, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var pages = storage.Accounts.QueryAsync<TableEntity>(AccountRows.Profiles(tenantId), pageSize, cancellationToken: cancellationToken)
            .AsPages(continuationToken, pageSize);
        await foreach (var page in pages)
        {
            return new Page<DirectoryUser>(page.Values.Where(e => AccountRows.IsProfile(e.RowKey)).Select(FromEntity).ToList(), page.ContinuationToken);
        }

        return new Page<DirectoryUser>([], null);
    }

    public async Task<IReadOnlyList<DirectoryUser>> ListAdminsAsync(string tenantId, CancellationToken cancellationToken)
    {
        var admins = new List<DirectoryUser>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {tenantId} and Role eq {nameof(UserRole.Admin)}");
        await foreach (var e in storage.Accounts.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            admins.Add(FromEntity(e));
        }

        return admins;
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
        HasFactors = e.GetBoolean(nameof(DirectoryUser.HasFactors)) ?? false,
        FirstSignInAt = e.GetDateTimeOffset(nameof(DirectoryUser.FirstSignInAt)),
        SecurityStamp = e.GetString(nameof(DirectoryUser.SecurityStamp)) ?? "",
        LastRunId = e.GetString(nameof(DirectoryUser.LastRunId)),
        RequiredActions = Core.Actions.RequiredActions.Parse(e.GetString(nameof(DirectoryUser.RequiredActions))),
        PasswordChangedAt = e.GetDateTimeOffset(nameof(DirectoryUser.PasswordChangedAt)),
        PasswordReceiptHash = TableStorage.Bytes(e, nameof(DirectoryUser.PasswordReceiptHash)),
        PasswordReceiptExpiresAt = e.GetDateTimeOffset(nameof(DirectoryUser.PasswordReceiptExpiresAt)),
        RecoveryQuestionId = NullIfEmpty(e.GetString(nameof(DirectoryUser.RecoveryQuestionId))),
        RecoveryAnswerHash = NullIfEmpty(e.GetString(nameof(DirectoryUser.RecoveryAnswerHash))),
        RecoverySetAt = e.GetDateTimeOffset(nameof(DirectoryUser.RecoverySetAt)),
        AcceptedTermsVersion = e.GetInt32(nameof(DirectoryUser.AcceptedTermsVersion)),
        TermsAcceptedAt = e.GetDateTimeOffset(nameof(DirectoryUser.TermsAcceptedAt)),
        PreviousEmail = NullIfEmpty(e.GetString(nameof(DirectoryUser.PreviousEmail))),
        PreviousEmailUntil = e.GetDateTimeOffset(nameof(DirectoryUser.PreviousEmailUntil)),
        PreviousPhone = NullIfEmpty(e.GetString(nameof(DirectoryUser.PreviousPhone))),
        PreviousPhoneUntil = e.GetDateTimeOffset(nameof(DirectoryUser.PreviousPhoneUntil)),
        Version = e.ETag.ToString(),
    };

    internal static TableEntity ToEntity(DirectoryUser u)
    {
        var entity = ProfileEntity(u.TenantId, new UserProfile(u.UserId, u.DisplayName, u.Email, u.Phone, u.Role, u.Active));
        entity[nameof(DirectoryUser.TwoFactorEnabled)] = u.TwoFactorEnabled;
        entity[nameof(DirectoryUser.VerifiedChannel)] = u.VerifiedChannel?.ToString();
        entity[nameof(DirectoryUser.EnrolledAt)] = u.EnrolledAt;
        entity[nameof(DirectoryUser.HasFactors)] = u.HasFactors;
        entity[nameof(DirectoryUser.FirstSignInAt)] = u.FirstSignInAt;
        entity[nameof(DirectoryUser.SecurityStamp)] = u.SecurityStamp;
        entity[nameof(DirectoryUser.LastRunId)] = u.LastRunId;
        entity[nameof(DirectoryUser.RequiredActions)] = Core.Actions.RequiredActions.Format(u.RequiredActions);
        entity[nameof(DirectoryUser.PasswordChangedAt)] = u.PasswordChangedAt;
        entity[nameof(DirectoryUser.PasswordReceiptHash)] = u.PasswordReceiptHash;
        entity[nameof(DirectoryUser.PasswordReceiptExpiresAt)] = u.PasswordReceiptExpiresAt;
        entity[nameof(DirectoryUser.RecoveryQuestionId)] = u.RecoveryQuestionId;
        entity[nameof(DirectoryUser.RecoveryAnswerHash)] = u.RecoveryAnswerHash;
        entity[nameof(DirectoryUser.RecoverySetAt)] = u.RecoverySetAt;
        entity[nameof(DirectoryUser.AcceptedTermsVersion)] = u.AcceptedTermsVersion;
        entity[nameof(DirectoryUser.TermsAcceptedAt)] = u.TermsAcceptedAt;
        entity[nameof(DirectoryUser.PreviousEmail)] = u.PreviousEmail;
        entity[nameof(DirectoryUser.PreviousEmailUntil)] = u.PreviousEmailUntil;
        entity[nameof(DirectoryUser.PreviousPhone)] = u.PreviousPhone;
        entity[nameof(DirectoryUser.PreviousPhoneUntil)] = u.PreviousPhoneUntil;
        return entity;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static TableEntity ProfileEntity(string tenantId, UserProfile p)
    {
        var entity = new TableEntity(tenantId, p.UserId)
        {
            [nameof(UserProfile.DisplayName)] = p.DisplayName,
            // Empty rather than null: a merge leaves out null properties, and a removed contact must really be removed.
            [nameof(UserProfile.Email)] = p.Email ?? "",
            [nameof(UserProfile.Phone)] = p.Phone ?? "",
            [nameof(UserProfile.Role)] = p.Role.ToString(),
            [nameof(UserProfile.Active)] = p.Active,
        };

        // Part of the same merge (single upsert or import transaction), so no read is needed; without a temporary
        // password the property is left out and the user's pending actions stay as they are.
        if (p.TemporaryPassword)
        {
            entity[nameof(DirectoryUser.RequiredActions)] = Core.Actions.RequiredActions.Format(Core.Actions.RequiredActions.ForTemporaryPassword);
        }

        return entity;
    }
}
