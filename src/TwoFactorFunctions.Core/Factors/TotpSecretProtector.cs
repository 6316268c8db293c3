using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using TwoFactorFunctions.Core.Security;

namespace TwoFactorFunctions.Core.Factors;

/// <summary>
/// Seals TOTP secrets with AES-256-GCM: unlike codes they must be read back, so they are encrypted, not hashed.
/// </summary>
/// <remarks>
/// The AES key is derived (HKDF-SHA256) from <c>TwoFactor:TotpEncryptionKey</c>; the sealed form starts with the key's id,
/// so keys can rotate: the old key moves to <c>TwoFactor:TotpPreviousEncryptionKeys</c>, secrets sealed with it still
/// open, and each is re-sealed with the current key the next time it is used. Tenant and user are the associated data:
/// a sealed secret copied to another user's row does not open.
/// </remarks>
public sealed class TotpSecretProtector
{
    private const byte Format = 1;
    private const int KeyIdBytes = 8;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const int HeaderBytes = 1 + KeyIdBytes + NonceBytes + TagBytes;

    private readonly (ulong Id, byte[] Key)? _current;
    private readonly Dictionary<ulong, byte[]> _keys = [];

    public TotpSecretProtector(TwoFactorOptions options)
    {
        if (!options.TotpConfigured)
        {
            return;
        }

        _current = Derive(Convert.FromBase64String(options.TotpEncryptionKey));
        _keys[_current.Value.Id] = _current.Value.Key;
        foreach (var previous in options.TotpPreviousEncryptionKeys)
        {
            var (id, key) = Derive(Convert.FromBase64String(previous));
            _keys.TryAdd(id, key);
        }
    }

    /// <summary>False when the deployment has no TOTP key: authenticator enrolment and use are then refused.</summary>
    public bool Available => _current is not null;

    public byte[] Seal(string tenantId, string userId, byte[] secret)
    {
        var (id, key) = _current ?? throw new InvalidOperationException("No TOTP encryption key is configured.");
        var sealedSecret = new byte[HeaderBytes + secret.Length];
        sealedSecret[0] = Format;
        BinaryPrimitives.WriteUInt64BigEndian(sealedSecret.AsSpan(1, KeyIdBytes), id);
        var nonce = sealedSecret.AsSpan(1 + KeyIdBytes, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, secret, sealedSecret.AsSpan(HeaderBytes), sealedSecret.AsSpan(1 + KeyIdBytes + NonceBytes, TagBytes), Associated(tenantId, userId));
        return sealedSecret;
    }

    /// <summary>The secret, or null when it cannot be opened (unknown key, wrong user, damaged).</summary>
    public byte[]? Open(string tenantId, string userId, byte[] sealedSecret)
    {
        if (sealedSecret.Length <= HeaderBytes || sealedSecret[0] != Format
            || !_keys.TryGetValue(BinaryPrimitives.ReadUInt64BigEndian(sealedSecret.AsSpan(1, KeyIdBytes)), out var key))
        {
            return null;
        }

        var secret = new byte[sealedSecret.Length - HeaderBytes];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(sealedSecret.AsSpan(1 + KeyIdBytes, NonceBytes), sealedSecret.AsSpan(HeaderBytes),
                sealedSecret.AsSpan(1 + KeyIdBytes + NonceBytes, TagBytes), secret, Associated(tenantId, userId));
            return secret;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    /// <summary>Sealed with an older key: re-seal it with the current one at the next write.</summary>
    public bool IsStale(byte[] sealedSecret) =>
        _current is { } current && sealedSecret.Length > HeaderBytes
        && BinaryPrimitives.ReadUInt64BigEndian(sealedSecret.AsSpan(1, KeyIdBytes)) != current.Id;

    private static (ulong Id, byte[] Key) Derive(byte[] material)
    {
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 32, info: "TwoFactorFunctions TOTP secret v1"u8.ToArray());
        var id = BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(key).AsSpan(0, KeyIdBytes));
        return (id, key);
    }

    private static byte[] Associated(string tenantId, string userId) => Encoding.UTF8.GetBytes($"totp\n{tenantId}\n{userId}");
}
