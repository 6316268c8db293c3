using TwoFactorFunctions.Core.Common;

namespace TwoFactorFunctions.Core.Factors.Passkeys;

/// <summary>
/// The WebAuthn ceremonies (W3C Web Authentication Level 3, §7): options for the browser and verification of what the
/// authenticator answered. Implemented on the Fido2 library in the infrastructure: no CBOR, COSE or attestation code
/// here. Options travel as their JSON (what the browser takes, and what is kept server-side per ceremony).
/// </summary>
public interface IWebAuthn
{
    /// <summary>A relying party is configured (id, name, origins); without one no passkey can be added or used.</summary>
    bool Available { get; }

    /// <summary>
    /// Creation options: attestation "none", a resident key preferred, user verification required, the user's existing
    /// passkeys excluded (the authenticator refuses to make a second one for the same account).
    /// </summary>
    string RegistrationOptions(PasskeyAccount account, IReadOnlyList<Passkey> existing);

    /// <summary>The attestation checked against the options of its ceremony: origin, RP ID hash, challenge, user presence and verification.</summary>
    Task<Result<NewPasskeyCredential>> VerifyRegistrationAsync(string optionsJson, string credentialJson, CancellationToken cancellationToken);

    /// <summary>Request options with user verification required; an empty <paramref name="allowed"/> lets the browser offer its discoverable passkeys.</summary>
    string AssertionOptions(IReadOnlyList<Passkey> allowed);

    /// <summary>The credential id an assertion names, or why it is not an assertion at all (nothing is verified yet).</summary>
    Result<byte[]> AssertedCredentialId(string credentialJson);

    /// <summary>
    /// The assertion checked against the options of its ceremony and the stored public key: origin, RP ID hash, challenge,
    /// user presence and verification, signature, and the user handle when the authenticator returned one. The signature
    /// counter is not judged here: <see cref="PasskeyRules.CounterAccepted"/> does it, with this request's own spend in view.
    /// </summary>
    Task<PasskeyAssertion> VerifyAssertionAsync(string optionsJson, string credentialJson, Passkey stored, byte[] userHandle,
        CancellationToken cancellationToken);
}

/// <summary>Who a passkey is made for: the random user handle, and the names the authenticator shows the user.</summary>
public sealed record PasskeyAccount(byte[] UserHandle, string Name, string DisplayName);

/// <summary>A credential the attestation proved: what is stored of it.</summary>
public sealed record NewPasskeyCredential(byte[] CredentialId, byte[] PublicKey, uint SignCount, IReadOnlyList<string> Transports,
    bool BackupEligible, bool BackedUp, Guid Aaguid);

/// <summary>
/// The verdict on an assertion: verified (with the counter and backup state it reported) or why not, for the audit log
/// (the library's message: which check failed, never a key or a signature).
/// </summary>
public sealed record PasskeyAssertion(bool Verified, uint SignCount, bool BackedUp, string? FailureReason)
{
    public static PasskeyAssertion Refused(string reason) => new(false, 0, false, reason);
}
