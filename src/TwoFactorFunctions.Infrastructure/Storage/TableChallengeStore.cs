using Azure.Data.Tables;
using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Infrastructure.Storage;

/// <summary>Challenges: PartitionKey = tenant id, RowKey = challenge id; a challenge id is only found under its own tenant.</summary>
public sealed class TableChallengeStore(TableStorage storage, ExpiryIndex expiry) : IChallengeStore
{
    public async Task<Challenge?> GetAsync(string tenantId, string challengeId, CancellationToken cancellationToken) =>
        await TableStorage.GetOrNullAsync(storage.Challenges, tenantId, challengeId, cancellationToken) is { } e ? FromEntity(e) : null;

    public async Task InsertAsync(Challenge challenge, DateTimeOffset purgeAt, CancellationToken cancellationToken)
    {
        // Indexed before it exists, so a crash between the two writes leaves at worst an index entry with nothing to delete.
        await expiry.TrackAsync(ExpiringKind.Challenge, challenge.TenantId, challenge.ChallengeId, purgeAt, cancellationToken);
        await storage.Challenges.AddEntityAsync(ToEntity(challenge), cancellationToken);
    }

    public Task<bool> TryReplaceAsync(Challenge challenge, CancellationToken cancellationToken) =>
        TableStorage.TryWriteAsync(storage.Challenges, ToEntity(challenge), challenge.Version, cancellationToken);

    private static Challenge FromEntity(TableEntity e) => new()
    {
        TenantId = e.PartitionKey,
        ChallengeId = e.RowKey,
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

    private static TableEntity ToEntity(Challenge c) => new(c.TenantId, c.ChallengeId)
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
