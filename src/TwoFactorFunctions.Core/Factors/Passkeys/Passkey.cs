namespace TwoFactorFunctions.Core.Factors.Passkeys;

/// <summary>
/// One registered passkey (a WebAuthn credential record, §4 of the spec): what verifying its assertions needs, and what
/// the user sees of it. Kept in the user's factor row, so that using it (the signature counter, the last use) is one
/// conditional write together with the user's other factors.
/// </summary>
public sealed record Passkey
{
    /// <summary>Our short id for it, used in routes: the credential id can be 1,023 bytes and is not a table key.</summary>
    public required string PasskeyId { get; init; }

    public required byte[] CredentialId { get; init; }

    /// <summary>The COSE public key, as the authenticator gave it at registration.</summary>
    public required byte[] PublicKey { get; init; }

    /// <summary>The highest signature counter seen; 0 for authenticators that keep none (synced passkeys).</summary>
    public uint SignCount { get; init; }

    public IReadOnlyList<string> Transports { get; init; } = [];

    /// <summary>The credential may be synced to the user's other devices (BE flag).</summary>
    public bool BackupEligible { get; init; }

    /// <summary>The credential was synced when last seen (BS flag).</summary>
    public bool BackedUp { get; init; }

    /// <summary>The authenticator model, when it says (attestation "none" gives zeros for most).</summary>
    public Guid Aaguid { get; init; }

    public required string Name { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }
}

/// <summary>
/// A registration ceremony in progress: the creation options sent to the browser, kept server-side so the attestation is
/// checked against exactly what was asked for (challenge, user handle, user verification). Single use, short-lived.
/// </summary>
public sealed record PendingPasskeyRegistration(string CeremonyId, string OptionsJson, DateTimeOffset ExpiresAt);
