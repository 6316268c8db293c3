using TwoFactorFunctions.Core.Factors.Passkeys;

namespace TwoFactorFunctions.Core.Factors;

/// <summary>
/// A user's authenticator app, recovery codes and passkeys: one row per user, so every use is one conditional write of it and
/// parallel requests cannot use one time step or one recovery code twice.
/// </summary>
public sealed record UserFactors
{
    public required string TenantId { get; init; }

    public required string UserId { get; init; }

    /// <summary>The confirmed authenticator's shared secret (kept encrypted at rest by the store, never logged).</summary>
    public byte[]? TotpSecret { get; init; }

    public DateTimeOffset? TotpConfirmedAt { get; init; }

    /// <summary>The last TOTP time step accepted: only later steps are accepted, so a code is never accepted twice.</summary>
    public long TotpLastStep { get; init; }

    /// <summary>A secret shown to the user but not yet confirmed by a first valid code.</summary>
    public byte[]? PendingTotpSecret { get; init; }

    public DateTimeOffset? PendingTotpExpiresAt { get; init; }

    /// <summary>Keyed hashes of the current recovery codes.</summary>
    public IReadOnlyList<byte[]?> RecoveryCodeHashes { get; init; } = [];

    /// <summary>
    /// Per slot: the code was used. Spent hashes are kept so that a used code presented again is recognised as a replay
    /// (refused without counting as a wrong guess) rather than taken for a guess.
    /// </summary>
    public IReadOnlyList<bool> RecoveryCodesUsed { get; init; } = [];

    /// <summary>Names the current set: bound into every hash, so a hash from a voided set never matches again.</summary>
    public string? RecoverySetId { get; init; }

    public DateTimeOffset? RecoveryGeneratedAt { get; init; }

    /// <summary>The user's passkeys (at most <see cref="PasskeyRules.MaxPerUser"/>).</summary>
    public IReadOnlyList<Passkey> Passkeys { get; init; } = [];

    /// <summary>
    /// The WebAuthn user handle: random, stable for the user's passkeys, never the email (authenticators store it and
    /// may show or sync it). Made at the first registration.
    /// </summary>
    public byte[]? PasskeyUserHandle { get; init; }

    public PendingPasskeyRegistration? PendingPasskey { get; init; }

    public string? Version { get; init; }

    public bool HasPasskey => Passkeys.Count > 0;

    /// <summary>Whether anything is left in the row: a row with nothing in it is deleted, and the user row's hint cleared.</summary>
    public bool IsEmpty => TotpSecret is null && PendingTotpSecret is null && RecoveryCodeHashes.Count == 0 && Passkeys.Count == 0 && PendingPasskey is null;

    public bool HasAuthenticator => TotpSecret is not null && TotpConfirmedAt is not null;

    public int RecoveryCodesLeft => RecoveryCodeHashes.Where((h, i) => h is not null && !IsUsed(i)).Count();

    public bool IsUsed(int slot) => slot < RecoveryCodesUsed.Count && RecoveryCodesUsed[slot];
}

public static class UserFactorReads
{
    /// <summary>
    /// The user's factor row, read only when the user row's <see cref="Directory.DirectoryUser.HasFactors"/> hint is set:
    /// users who never had an authenticator cost a sign-in or a proof no extra storage call.
    /// </summary>
    public static async Task<UserFactors> OfAsync(this Storage.IUserFactorStore store, Directory.DirectoryUser user, CancellationToken cancellationToken) =>
        user.HasFactors
            ? await store.GetAsync(user.TenantId, user.UserId, cancellationToken)
            : new UserFactors { TenantId = user.TenantId, UserId = user.UserId };
}
