using System.Buffers.Binary;
using System.Buffers.Text;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TwoFactorFunctions.FunctionalTests.Support;

/// <summary>
/// A passkey in software, for tests: one ES256 (P-256) key pair with a random credential id, answering WebAuthn
/// creation and request options the way a browser's <c>navigator.credentials</c> hands them to a page, as the
/// Level 3 JSON forms (<c>PublicKeyCredential.toJSON()</c>): every binary field base64url. It attests with
/// <c>fmt: "none"</c> and signs assertions over <c>authenticatorData || SHA-256(clientDataJSON)</c>, DER-encoded.
/// The knobs on <see cref="Assert"/> make the assertions a test needs a server to refuse.
/// </summary>
public sealed class SoftwareAuthenticator : IDisposable
{
    public const byte UserPresent = 0x01;
    public const byte UserVerified = 0x04;
    public const byte BackupEligible = 0x08;
    public const byte BackedUp = 0x10;
    public const byte AttestedCredentialData = 0x40;

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <param name="backupEligible">A synced passkey (BE and BS set), as a platform's password manager makes them.</param>
    /// <param name="counter">The signature counter the registration reports; each assertion counts one up from it.</param>
    public SoftwareAuthenticator(bool backupEligible = false, uint counter = 0)
    {
        IsBackupEligible = backupEligible;
        Counter = counter;
    }

    public byte[] CredentialId { get; } = RandomNumberGenerator.GetBytes(32);

    public string CredentialIdText => Base64Url.EncodeToString(CredentialId);

    /// <summary>The model's AAGUID (all zeros is what "none" attestation usually reports; a fixed value is easier to see).</summary>
    public Guid Aaguid { get; init; } = new("5f1e0d1c-2b3a-4958-8776-a5b4c3d2e1f0");

    public bool IsBackupEligible { get; }

    /// <summary>The user handle (<c>user.id</c>) of the options this passkey was registered from.</summary>
    public byte[]? UserHandle { get; private set; }

    /// <summary>The signature counter last reported; the next assertion reports one more unless told otherwise.</summary>
    public uint Counter { get; set; }

    /// <summary>The public key as the COSE_Key the attestation carries (CBOR map {1:2, 3:-7, -1:1, -2:x, -3:y}).</summary>
    public byte[] CosePublicKey()
    {
        var point = _key.ExportParameters(false).Q;
        var cbor = new CborWriter(CborConformanceMode.Ctap2Canonical);
        cbor.WriteStartMap(5);
        cbor.WriteInt32(1);
        cbor.WriteInt32(2); // kty: EC2
        cbor.WriteInt32(3);
        cbor.WriteInt32(-7); // alg: ES256
        cbor.WriteInt32(-1);
        cbor.WriteInt32(1); // crv: P-256
        cbor.WriteInt32(-2);
        cbor.WriteByteString(point.X!);
        cbor.WriteInt32(-3);
        cbor.WriteByteString(point.Y!);
        cbor.WriteEndMap();
        return cbor.Encode();
    }

    /// <summary>
    /// <c>navigator.credentials.create</c>: the registration credential for <paramref name="publicKeyCreationOptions"/>
    /// (the <c>publicKey</c> member of the creation options) as the page at <paramref name="origin"/> would send it.
    /// </summary>
    /// <param name="userVerified">False: the authenticator did not verify the user (no PIN, no biometrics).</param>
    /// <param name="challenge">Another challenge than the options', base64url (a page answering the wrong ceremony).</param>
    public JsonObject Register(JsonElement publicKeyCreationOptions, string origin, bool userVerified = true, string? challenge = null)
    {
        var rpId = publicKeyCreationOptions.TryGetProperty("rp", out var rp) && rp.TryGetProperty("id", out var id) && id.GetString() is { } rpIdText
            ? rpIdText
            : new Uri(origin).Host;
        UserHandle = Base64Url.DecodeFromChars(publicKeyCreationOptions.GetProperty("user").GetProperty("id").GetString());
        var clientData = ClientData("webauthn.create", challenge ?? publicKeyCreationOptions.GetProperty("challenge").GetString()!, origin);

        var flags = (byte)(UserPresent | AttestedCredentialData | (userVerified ? UserVerified : 0) | (IsBackupEligible ? BackupEligible | BackedUp : 0));
        var cose = CosePublicKey();
        var authData = new byte[37 + 16 + 2 + CredentialId.Length + cose.Length];
        WriteHeader(authData, rpId, flags, Counter);
        Aaguid.TryWriteBytes(authData.AsSpan(37, 16), bigEndian: true, out _);
        BinaryPrimitives.WriteUInt16BigEndian(authData.AsSpan(53, 2), (ushort)CredentialId.Length);
        CredentialId.CopyTo(authData, 55);
        cose.CopyTo(authData, 55 + CredentialId.Length);

        var attestation = new CborWriter(CborConformanceMode.Ctap2Canonical);
        attestation.WriteStartMap(3);
        attestation.WriteTextString("fmt");
        attestation.WriteTextString("none");
        attestation.WriteTextString("attStmt");
        attestation.WriteStartMap(0);
        attestation.WriteEndMap();
        attestation.WriteTextString("authData");
        attestation.WriteByteString(authData);
        attestation.WriteEndMap();

        return Credential(new JsonObject
        {
            ["clientDataJSON"] = Base64Url.EncodeToString(clientData),
            ["attestationObject"] = Base64Url.EncodeToString(attestation.Encode()),
            ["transports"] = new JsonArray("internal", "hybrid"),
        });
    }

    /// <summary>
    /// <c>navigator.credentials.get</c>: the assertion for <paramref name="publicKeyRequestOptions"/> (the
    /// <c>publicKey</c> member of the request options) as the page at <paramref name="origin"/> would send it.
    /// Without knobs the assertion is a good one and the counter moves up by one.
    /// </summary>
    /// <param name="counter">The counter to report (and keep), instead of the next one.</param>
    /// <param name="userPresent">False: the UP flag is not set (no touch, no gesture).</param>
    /// <param name="userVerified">False: the UV flag is not set (no PIN, no biometrics).</param>
    /// <param name="tamperSignature">Flips the last bit of the signature's S (still well-formed DER): it does not verify.</param>
    /// <param name="includeUserHandle">Whether the response carries the user handle (a discoverable passkey always does).</param>
    /// <param name="challenge">Another challenge than the options', base64url.</param>
    public JsonObject Assert(JsonElement publicKeyRequestOptions, string origin, uint? counter = null, bool userPresent = true, bool userVerified = true,
        bool tamperSignature = false, bool includeUserHandle = true, string? challenge = null)
    {
        var rpId = publicKeyRequestOptions.TryGetProperty("rpId", out var id) && id.GetString() is { } rpIdText ? rpIdText : new Uri(origin).Host;
        var clientData = ClientData("webauthn.get", challenge ?? publicKeyRequestOptions.GetProperty("challenge").GetString()!, origin);
        Counter = counter ?? Counter + 1;

        var flags = (byte)((userPresent ? UserPresent : 0) | (userVerified ? UserVerified : 0) | (IsBackupEligible ? BackupEligible | BackedUp : 0));
        var authData = new byte[37];
        WriteHeader(authData, rpId, flags, Counter);

        var signed = authData.Concat(SHA256.HashData(clientData)).ToArray();
        var signature = _key.SignData(signed, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        if (tamperSignature)
        {
            signature[^1] ^= 0x01;
        }

        var response = new JsonObject
        {
            ["clientDataJSON"] = Base64Url.EncodeToString(clientData),
            ["authenticatorData"] = Base64Url.EncodeToString(authData),
            ["signature"] = Base64Url.EncodeToString(signature),
        };
        if (includeUserHandle && UserHandle is not null)
        {
            response["userHandle"] = Base64Url.EncodeToString(UserHandle);
        }

        return Credential(response);
    }

    /// <summary>Whether <paramref name="options"/> (request options) let this passkey answer: listed, or no list at all.</summary>
    public bool IsAllowedBy(JsonElement options) =>
        !options.TryGetProperty("allowCredentials", out var allowed) || allowed.GetArrayLength() == 0
        || allowed.EnumerateArray().Any(c => c.GetProperty("id").GetString() == CredentialIdText);

    public void Dispose() => _key.Dispose();

    private static byte[] ClientData(string type, string challenge, string origin) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type, challenge, origin, crossOrigin = false }));

    private static void WriteHeader(Span<byte> authData, string rpId, byte flags, uint counter)
    {
        SHA256.HashData(Encoding.UTF8.GetBytes(rpId), authData[..32]);
        authData[32] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(authData.Slice(33, 4), counter);
    }

    private JsonObject Credential(JsonObject response) => new()
    {
        ["id"] = CredentialIdText,
        ["rawId"] = CredentialIdText,
        ["type"] = "public-key",
        ["authenticatorAttachment"] = "platform",
        ["response"] = response,
        ["clientExtensionResults"] = new JsonObject(),
    };
}
