namespace TwoFactorFunctions.Core.Devices;

/// <summary>"Do not challenge me on this device": a remembered device of one user.</summary>
/// <remarks>
/// The token handed to the browser is <c>{DeviceId}.{secret}</c>: the id selects the row with a point read, the secret is
/// stored only as a SHA-256 hash (256 random bits need no key stretching). The row key contains the user id, so a token
/// can only ever be looked up under the user it was issued to.
/// </remarks>
public sealed record DeviceTrust
{
    public required string TenantId { get; init; }

    public required string UserId { get; init; }

    public required string DeviceId { get; init; }

    public required byte[] SecretHash { get; init; }

    public string? Label { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The user's security stamp when issued; a different stamp now means the user's 2FA changed since.</summary>
    public required string UserSecurityStamp { get; init; }

    /// <summary>The tenant's trust epoch when issued; the tenant bumps it when it switches 2FA off or changes channel.</summary>
    public int TenantTrustEpoch { get; init; }
}
