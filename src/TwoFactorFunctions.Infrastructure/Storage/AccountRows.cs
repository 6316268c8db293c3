using Azure.Data.Tables;

namespace TwoFactorFunctions.Infrastructure.Storage;

/// <summary>
/// The row keys of the Accounts table, whose partition is a tenant. A user's rows sit side by side, so one key-range
/// query reads them all (<see cref="UserRange"/>); the audit log sits apart, newest first:
/// <list type="bullet">
/// <item><c>{userId}</c>: the profile (the directory row the portal and the enrolment write)</item>
/// <item><c>{userId}!g</c>: the account guard (failures, lockout, challenges issued)</item>
/// <item><c>{userId}!c!{token}</c>: a challenge (its public id is <c>{token}.{userId}</c>)</item>
/// <item><c>$a!{inverted ticks}-{sequence}-{random}</c>: an audit line</item>
/// </list>
/// Ids are letters, digits and <c>- _ . @ + ~</c>, all above <c>'"'</c>, so <c>'!'</c> after a user id and <c>'$'</c> at
/// the start keep the kinds apart: no other user's key falls between <c>{userId}</c> and <c>{userId}"</c>, and no user's
/// key starts below <c>'+'</c>.
/// </summary>
public static class AccountRows
{
    /// <summary>The lowest first character of an id: every profile key is at or above it, every audit key below.</summary>
    private const string FirstIdKey = "+";

    public const string AuditPrefix = "$a!";

    public static string Guard(string userId) => userId + "!g";

    public static string Challenge(string userId, string token) => $"{userId}!c!{token}";

    /// <summary>A profile key: no '!' (guards, challenges) and no '$' (audit).</summary>
    public static bool IsProfile(string rowKey) => rowKey.Length > 0 && rowKey[0] != '$' && !rowKey.Contains('!', StringComparison.Ordinal);

    /// <summary>One user's profile, guard and challenges: a key-range query inside the tenant's partition.</summary>
    public static string UserRange(string tenantId, string userId) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {tenantId} and RowKey ge {userId} and RowKey lt {userId + "\""}");

    /// <summary>A tenant's users, in id order (guard and challenge rows among them are skipped by <see cref="IsProfile"/>).</summary>
    public static string Profiles(string tenantId) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {tenantId} and RowKey ge {FirstIdKey}");

    public static string Audit(string tenantId) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {tenantId} and RowKey ge {AuditPrefix} and RowKey lt {"$a\""}");
}
