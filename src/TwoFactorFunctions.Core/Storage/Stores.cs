using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Devices;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Security;

namespace TwoFactorFunctions.Core.Storage;

// Small store ports in the style of ASP.NET Core Identity's IUserStore family. Every "TrySave/TryReplace" is an
// optimistic-concurrency write on the record's Version: it returns false when another writer got there first, and the
// caller re-reads and re-decides. That is what keeps limits exact under parallel requests.

public sealed record Page<T>(IReadOnlyList<T> Items, string? ContinuationToken);

public interface ITenantStore
{
    Task<Tenant?> GetAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Creates the tenant or updates its profile fields only, leaving its 2FA settings alone.</summary>
    Task UpsertProfileAsync(TenantProfile profile, CancellationToken cancellationToken);

    Task<bool> TryReplaceAsync(Tenant tenant, CancellationToken cancellationToken);
}

public interface IUserStore
{
    Task<DirectoryUser?> GetAsync(string tenantId, string userId, CancellationToken cancellationToken);

    /// <summary>Creates the user or updates the directory fields only, leaving the user's 2FA state alone.</summary>
    Task UpsertProfileAsync(string tenantId, UserProfile profile, CancellationToken cancellationToken);

    /// <summary>Like <see cref="UpsertProfileAsync"/> for up to 100 users, written as one entity-group transaction.</summary>
    Task UpsertProfilesAsync(string tenantId, IReadOnlyList<UserProfile> profiles, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string tenantId, string userId, CancellationToken cancellationToken);

    Task<bool> TryReplaceAsync(DirectoryUser user, CancellationToken cancellationToken);

    Task<Page<DirectoryUser>> ListAsync(string tenantId, string? continuationToken, int pageSize, CancellationToken cancellationToken);

    /// <summary>The tenant's admins (for alerts; a rare call, so a filtered scan of the tenant's partition is fine).</summary>
    Task<IReadOnlyList<DirectoryUser>> ListAdminsAsync(string tenantId, CancellationToken cancellationToken);
}

/// <summary>A user's authenticator and recovery codes (one row per user).</summary>
public interface IUserFactorStore
{
    /// <summary>The user's factors, or an empty record with a null Version when the user has none.</summary>
    Task<Factors.UserFactors> GetAsync(string tenantId, string userId, CancellationToken cancellationToken);

    /// <summary>Inserts when Version is null, otherwise replaces only the version read.</summary>
    Task<bool> TrySaveAsync(Factors.UserFactors factors, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string tenantId, string userId, CancellationToken cancellationToken);
}

/// <summary>
/// The rows one sign-in touches, kept side by side for one user: the profile, the account guard and the open challenges
/// are read with one query, and what a challenge or a verify changes (guard, challenge, profile, audit lines) is written
/// in one transaction, conditional on every row read. Half the round trips of reading and writing them one by one, and
/// no window in which one of them is written and another is not.
/// </summary>
public interface IAccountStore
{
    /// <summary>The user's profile (null when there is no such user), guard (a fresh one when none) and open challenges.</summary>
    Task<Account> ReadAsync(string tenantId, string userId, CancellationToken cancellationToken);

    /// <summary>All of <paramref name="change"/> or nothing; false when a row changed since it was read (read again).</summary>
    Task<bool> TryCommitAsync(AccountChange change, CancellationToken cancellationToken);
}

public sealed record Account(DirectoryUser? User, AccountGuard Guard, IReadOnlyList<Challenge> Challenges)
{
    public Challenge? Challenge(string challengeId) => Challenges.FirstOrDefault(c => c.ChallengeId == challengeId);
}

/// <summary>
/// One all-or-nothing write to a user's rows. A row with a null Version is inserted (and fails if it exists), any other
/// is replaced only if unchanged since it was read; audit lines are appended.
/// </summary>
public sealed record AccountChange(string TenantId, string UserId)
{
    public AccountGuard? Guard { get; init; }

    public Challenge? Challenge { get; init; }

    /// <summary>When a new <see cref="Challenge"/> may be deleted (<see cref="Challenges.Challenge.PurgeAt"/>); required for an insert.</summary>
    public DateTimeOffset? ChallengePurgeAt { get; init; }

    public DirectoryUser? User { get; init; }

    public IReadOnlyList<AuditEvent> Audit { get; init; } = [];
}

public interface IChallengeStore
{
    /// <summary>The challenge, or null when the id names no challenge of this tenant. New ones come through <see cref="IAccountStore"/>.</summary>
    Task<Challenge?> GetAsync(string tenantId, string challengeId, CancellationToken cancellationToken);

    Task<bool> TryReplaceAsync(Challenge challenge, CancellationToken cancellationToken);
}

public interface IAccountGuardStore
{
    /// <summary>The guard, or a fresh one with a null Version when the user has none yet.</summary>
    Task<AccountGuard> GetAsync(string tenantId, string userId, CancellationToken cancellationToken);

    Task<bool> TrySaveAsync(AccountGuard guard, CancellationToken cancellationToken);

    Task DeleteAsync(string tenantId, string userId, CancellationToken cancellationToken);
}

public interface IDeviceTrustStore
{
    Task<DeviceTrust?> GetAsync(string tenantId, string userId, string deviceId, CancellationToken cancellationToken);

    Task InsertAsync(DeviceTrust trust, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeviceTrust>> ListAsync(string tenantId, string userId, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string tenantId, string userId, string deviceId, CancellationToken cancellationToken);

    Task<int> DeleteAllAsync(string tenantId, string userId, CancellationToken cancellationToken);
}

/// <summary>Fixed-window counters for send limits; each increment is conditional, so parallel sends cannot pass a limit.</summary>
public interface ISendCounterStore
{
    /// <summary>Adds one to the counter if it is below <paramref name="limit"/>; false (and no change) when it is not.</summary>
    Task<bool> TryIncrementAsync(string scope, string window, int limit, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    Task<int> GetAsync(string scope, string window, CancellationToken cancellationToken);
}
