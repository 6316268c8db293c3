using System.Security.Cryptography;
using System.Text.Json;
using Fido2NetLib;
using Fido2NetLib.Objects;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Factors.Passkeys;

namespace TwoFactorFunctions.Infrastructure.WebAuthn;

/// <summary>The WebAuthn ceremonies on the Fido2 library: it parses CBOR and COSE, checks attestations and signatures.</summary>
public sealed class Fido2WebAuthn(PasskeyOptions options) : IWebAuthn
{
    private readonly Fido2? _fido2 = options.Configured
        ? new Fido2(new Fido2Configuration
        {
            RPID = options.RelyingPartyId!,
            RPName = options.RelyingPartyName,
            Origins = new HashSet<string>(options.Origins, StringComparer.Ordinal),
        })
        : null;

    public bool Available => _fido2 is not null;

    public string RegistrationOptions(PasskeyAccount account, IReadOnlyList<Passkey> existing) =>
        Fido2.RequestNewCredential(new RequestNewCredentialParams
        {
            User = new Fido2User { Id = account.UserHandle, Name = account.Name, DisplayName = account.DisplayName },
            ExcludeCredentials = [.. existing.Select(Descriptor)],
            AuthenticatorSelection = new AuthenticatorSelection
            {
                ResidentKey = ResidentKeyRequirement.Preferred,
                UserVerification = UserVerificationRequirement.Required,
            },
            AttestationPreference = AttestationConveyancePreference.None,
        }).ToJson();

    public async Task<Result<NewPasskeyCredential>> VerifyRegistrationAsync(string optionsJson, string credentialJson, CancellationToken cancellationToken)
    {
        if (Parse<AuthenticatorAttestationRawResponse>(credentialJson) is not { Response: not null } response)
        {
            return Refused("credential must be the browser's PublicKeyCredential.toJSON() after navigator.credentials.create().");
        }

        try
        {
            var credential = await Fido2.MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = response,
                OriginalOptions = CredentialCreateOptions.FromJson(optionsJson),
                // The caller refuses a credential id the user has already; across users one is never looked up.
                IsCredentialIdUniqueToUserCallback = (_, _) => Task.FromResult(true),
            }, cancellationToken);
            return new NewPasskeyCredential(credential.Id, credential.PublicKey, credential.SignCount,
                [.. (credential.Transports ?? []).Select(Name)], credential.IsBackupEligible, credential.IsBackedUp, credential.AaGuid);
        }
        catch (Exception ex) when (IsRefusal(ex))
        {
            return Refused($"The passkey was not accepted: {ex.Message}");
        }
    }

    public string AssertionOptions(IReadOnlyList<Passkey> allowed) =>
        Fido2.GetAssertionOptions(new GetAssertionOptionsParams
        {
            AllowedCredentials = [.. allowed.Select(Descriptor)],
            UserVerification = UserVerificationRequirement.Required,
        }).ToJson();

    public Result<byte[]> AssertedCredentialId(string credentialJson) =>
        Parse<AuthenticatorAssertionRawResponse>(credentialJson) is { RawId.Length: > 0, Response: not null } response
            ? response.RawId
            : new DomainError(ErrorKind.Invalid, "invalid_passkey_credential", "credential is not a passkey assertion.");

    public async Task<PasskeyAssertion> VerifyAssertionAsync(string optionsJson, string credentialJson, Passkey stored, byte[] userHandle,
        CancellationToken cancellationToken)
    {
        if (Parse<AuthenticatorAssertionRawResponse>(credentialJson) is not { Response: not null } response)
        {
            return PasskeyAssertion.Refused("not an assertion");
        }

        try
        {
            var verified = await Fido2.MakeAssertionAsync(new MakeAssertionParams
            {
                AssertionResponse = response,
                OriginalOptions = Fido2NetLib.AssertionOptions.FromJson(optionsJson),
                StoredPublicKey = stored.PublicKey,
                // 0: the counter is judged by PasskeyRules.Counter, which knows whether this request wrote it itself.
                StoredSignatureCounter = 0,
                // A returned user handle must be this user's: a discoverable passkey of another account is not this user.
                IsUserHandleOwnerOfCredentialIdCallback = (args, _) => Task.FromResult(args.UserHandle.AsSpan().SequenceEqual(userHandle)),
            }, cancellationToken);
            return new PasskeyAssertion(true, verified.SignCount, verified.IsBackedUp, null);
        }
        catch (Exception ex) when (IsRefusal(ex))
        {
            return PasskeyAssertion.Refused(ex.Message);
        }
    }

    /// <summary>
    /// What the library throws at a response that does not verify, or whose CBOR, COSE key or client data cannot be read:
    /// all of it is the caller's input, answered as not accepted. The library does no I/O here (no metadata service).
    /// </summary>
    private static bool IsRefusal(Exception ex) =>
        ex is Fido2VerificationException or System.Formats.Cbor.CborContentException or FormatException or ArgumentException or InvalidOperationException
            or JsonException or CryptographicException or OverflowException or IndexOutOfRangeException;

    private Fido2 Fido2 => _fido2 ?? throw new InvalidOperationException("Passkeys are not configured: check IWebAuthn.Available first.");

    private static DomainError Refused(string detail) => new(ErrorKind.Invalid, "passkey_registration_failed", detail);

    private static PublicKeyCredentialDescriptor Descriptor(Passkey passkey) =>
        new(PublicKeyCredentialType.PublicKey, passkey.CredentialId, [.. passkey.Transports.Select(Transport).OfType<AuthenticatorTransport>()]);

    // The transports as WebAuthn names them ("internal", "hybrid", "usb"): stored as names, not enum numbers.
    private static string Name(AuthenticatorTransport transport) => JsonSerializer.Serialize(transport).Trim('"');

    private static AuthenticatorTransport? Transport(string name)
    {
        try
        {
            return JsonSerializer.Deserialize<AuthenticatorTransport>($"\"{name}\"");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static T? Parse<T>(string json) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException)
        {
            return null;
        }
    }
}
