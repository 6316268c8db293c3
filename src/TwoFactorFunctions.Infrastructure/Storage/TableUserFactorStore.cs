using Azure.Data.Tables;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.Core.Factors.Passkeys;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Infrastructure.Storage;

/// <summary>
/// Authenticators, recovery codes and passkeys: PartitionKey = tenant id, RowKey = user id. A row of its own rather than columns
/// of the user row, so that spending a time step or a recovery code races only with other uses of the user's factors.
/// The TOTP secrets arrive here already sealed (AES-GCM, <see cref="TotpSecretProtector"/>); recovery codes as HMACs.
/// Passkeys are public keys (nothing secret) kept as one JSON column: at most <see cref="PasskeyRules.MaxPerUser"/> of a
/// few hundred bytes each, well inside a property's 64 KiB.
/// </summary>
public sealed class TableUserFactorStore(TableStorage storage) : IUserFactorStore
{
    public async Task<UserFactors> GetAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        var e = await TableStorage.GetOrNullAsync(storage.Factors, tenantId, userId, cancellationToken);
        return e is null
            ? new UserFactors { TenantId = tenantId, UserId = userId }
            : new UserFactors
            {
                TenantId = tenantId,
                UserId = userId,
                TotpSecret = TableStorage.Bytes(e, nameof(UserFactors.TotpSecret)),
                TotpConfirmedAt = e.GetDateTimeOffset(nameof(UserFactors.TotpConfirmedAt)),
                TotpLastStep = e.GetInt64(nameof(UserFactors.TotpLastStep)) ?? 0,
                PendingTotpSecret = TableStorage.Bytes(e, nameof(UserFactors.PendingTotpSecret)),
                PendingTotpExpiresAt = e.GetDateTimeOffset(nameof(UserFactors.PendingTotpExpiresAt)),
                RecoveryCodeHashes = ParseHashes(e.GetString(nameof(UserFactors.RecoveryCodeHashes))),
                RecoveryCodesUsed = (e.GetString(nameof(UserFactors.RecoveryCodesUsed)) ?? "").Select(c => c == '1').ToArray(),
                RecoverySetId = e.GetString(nameof(UserFactors.RecoverySetId)),
                RecoveryGeneratedAt = e.GetDateTimeOffset(nameof(UserFactors.RecoveryGeneratedAt)),
                Passkeys = TableStorage.FromJson<Passkey[]>(e, nameof(UserFactors.Passkeys), []),
                PasskeyUserHandle = TableStorage.Bytes(e, nameof(UserFactors.PasskeyUserHandle)),
                PendingPasskey = TableStorage.FromJson<PendingPasskeyRegistration?>(e, nameof(UserFactors.PendingPasskey), null),
                Version = e.ETag.ToString(),
            };
    }

    public Task<bool> TrySaveAsync(UserFactors factors, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(factors.TenantId, factors.UserId)
        {
            [nameof(UserFactors.TotpSecret)] = factors.TotpSecret,
            [nameof(UserFactors.TotpConfirmedAt)] = factors.TotpConfirmedAt,
            [nameof(UserFactors.TotpLastStep)] = factors.TotpLastStep,
            [nameof(UserFactors.PendingTotpSecret)] = factors.PendingTotpSecret,
            [nameof(UserFactors.PendingTotpExpiresAt)] = factors.PendingTotpExpiresAt,
            [nameof(UserFactors.RecoveryCodeHashes)] = FormatHashes(factors.RecoveryCodeHashes),
            [nameof(UserFactors.RecoveryCodesUsed)] = new string(factors.RecoveryCodesUsed.Select(u => u ? '1' : '0').ToArray()),
            [nameof(UserFactors.RecoverySetId)] = factors.RecoverySetId,
            [nameof(UserFactors.RecoveryGeneratedAt)] = factors.RecoveryGeneratedAt,
            [nameof(UserFactors.Passkeys)] = factors.Passkeys.Count == 0 ? null : TableStorage.ToJson(factors.Passkeys),
            [nameof(UserFactors.PasskeyUserHandle)] = factors.PasskeyUserHandle,
            [nameof(UserFactors.PendingPasskey)] = factors.PendingPasskey is null ? null : TableStorage.ToJson(factors.PendingPasskey),
        };
        return TableStorage.TryWriteAsync(storage.Factors, entity, factors.Version, cancellationToken);
    }

    public Task<bool> DeleteAsync(string tenantId, string userId, CancellationToken cancellationToken) =>
        TableStorage.DeleteIfExistsAsync(storage.Factors, tenantId, userId, cancellationToken);

    // One slot per code, in order; RecoveryCodesUsed marks the spent slots ("0100000000").
    private static string? FormatHashes(IReadOnlyList<byte[]?> hashes) =>
        hashes.Count == 0 ? null : string.Join(',', hashes.Select(h => h is null ? "" : Convert.ToBase64String(h)));

    private static byte[]?[] ParseHashes(string? value) =>
        string.IsNullOrEmpty(value) ? [] : value.Split(',').Select(h => h.Length == 0 ? null : Convert.FromBase64String(h)).ToArray();
}
