using Azure.Data.Tables;
using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Infrastructure.Storage;

/// <summary>
/// Challenges, in the Accounts table beside their user (<see cref="AccountRows.Challenge"/>): PartitionKey = tenant id,
/// so a challenge id is only found under its own tenant. New challenges are written by <see cref="TableAccountStore"/>,
/// with the guard they are counted on.
/// </summary>
public sealed class TableChallengeStore(TableStorage storage) : IChallengeStore
{
    public async Task<Challenge?> GetAsync(string tenantId, string challengeId, CancellationToken cancellationToken) =>
        ChallengeIds.TryGetUserId(challengeId, out var userId)
        && await TableStorage.GetOrNullAsync(storage.Accounts, tenantId, AccountRows.Challenge(userId, challengeId), cancellationToken) is { } e
            ? FromEntity(e, userId)
            : null;

    public Task<bool> TryReplaceAsync(Challenge challenge, CancellationToken cancellationToken) =>
        TableStorage.TryWriteAsync(storage.Accounts, ToEntity(challenge), challenge.Version, cancellationToken);

    internal static string RowKey(Challenge challenge) => AccountRows.Challenge(challenge.UserId, challenge.ChallengeId);

    /// <summary>The challenge in a row of <paramref name="userId"/>'s range; null for a row of another kind.</summary>
    internal static Challenge? FromEntity(TableEntity e, string userId)
    {
        var prefix = AccountRows.Challenge(userId, "");
        return e.RowKey.StartsWith(prefix, StringComparison.Ordinal) ? Read(e, e.RowKey[prefix.Length..]) : null;
    }

    private static Challenge Read(TableEntity e, string challengeId) => new()
    {
        TenantId = e.PartitionKey,
        ChallengeId = challengeId,
        UserId = e.GetString(nameof(Challenge.UserId)) ?? "",
        Purpose = TableStorage.Enum(e, nameof(Challenge.Purpose), ChallengePurpose.SignIn),
        Channel = TableStorage.Enum(e, nameof(Challenge.Channel), Channel.Email),
        Destination = e.GetString(nameof(Challenge.Destination)) ?? "",
        Status = TableStorage.Enum(e, nameof(Challenge.Status), ChallengeStatus.Pending),
        CodeHash = TableStorage.Bytes(e, nameof(Challenge.CodeHash)),
        CodeVersion = e.GetInt32(nameof(Challenge.CodeVersion)) ?? 0,
        Sends = e.GetInt32(nameof(Challenge.Sends)) ?? 0,
        FailedAttempts = e.GetInt32(nameof(Challenge.FailedAttempts)) ?? 0,
        CreatedAt = e.GetDateTimeOffset(nameof(Challenge.CreatedAt)) ?? default,
        ExpiresAt = e.GetDateTimeOffset(nameof(Challenge.ExpiresAt)) ?? default,
        LastSentAt = e.GetDateTimeOffset(nameof(Challenge.LastSentAt)),
        VerifiedAt = e.GetDateTimeOffset(nameof(Challenge.VerifiedAt)),
        ConsumedAt = e.GetDateTimeOffset(nameof(Challenge.ConsumedAt)),
        VerifiedFactor = Enum.TryParse<Factor>(e.GetString(nameof(Challenge.VerifiedFactor)), out var verifiedBy) ? verifiedBy : null,
        RequiredActions = Core.Actions.RequiredActions.Parse(e.GetString(nameof(Challenge.RequiredActions))),
        BrowserTokenHash = TableStorage.Bytes(e, nameof(Challenge.BrowserTokenHash)),
        Factors = ParseFactors(e.GetString(nameof(Challenge.Factors))),
        PreferredFactor = TableStorage.Enum(e, nameof(Challenge.PreferredFactor), Factor.Code),
        PasskeyOptions = e.GetString(nameof(Challenge.PasskeyOptions)),
        Version = e.ETag.ToString(),
    };

    internal static TableEntity ToEntity(Challenge c) => new(c.TenantId, RowKey(c))
    {
        [nameof(Challenge.UserId)] = c.UserId,
        [nameof(Challenge.Purpose)] = c.Purpose.ToString(),
        [nameof(Challenge.Channel)] = c.Channel.ToString(),
        [nameof(Challenge.Destination)] = c.Destination,
        [nameof(Challenge.Status)] = c.Status.ToString(),
        [nameof(Challenge.CodeHash)] = c.CodeHash,
        [nameof(Challenge.CodeVersion)] = c.CodeVersion,
        [nameof(Challenge.Sends)] = c.Sends,
        [nameof(Challenge.FailedAttempts)] = c.FailedAttempts,
        [nameof(Challenge.CreatedAt)] = c.CreatedAt,
        [nameof(Challenge.ExpiresAt)] = c.ExpiresAt,
        [nameof(Challenge.LastSentAt)] = c.LastSentAt,
        [nameof(Challenge.VerifiedAt)] = c.VerifiedAt,
        [nameof(Challenge.ConsumedAt)] = c.ConsumedAt,
        [nameof(Challenge.VerifiedFactor)] = c.VerifiedFactor?.ToString(),
        [nameof(Challenge.RequiredActions)] = c.RequiredActions.Count == 0 ? null : Core.Actions.RequiredActions.Format(c.RequiredActions),
        [nameof(Challenge.BrowserTokenHash)] = c.BrowserTokenHash,
        [nameof(Challenge.Factors)] = string.Join(',', c.Factors),
        [nameof(Challenge.PreferredFactor)] = c.PreferredFactor.ToString(),
        [nameof(Challenge.PasskeyOptions)] = c.PasskeyOptions,
    };

    // Rows written before factors existed were code-only challenges.
    private static Factor[] ParseFactors(string? value) =>
        string.IsNullOrEmpty(value)
            ? [Factor.Code]
            : value.Split(',').Select(f => Enum.TryParse<Factor>(f, out var factor) ? factor : (Factor?)null).OfType<Factor>().ToArray();
}
