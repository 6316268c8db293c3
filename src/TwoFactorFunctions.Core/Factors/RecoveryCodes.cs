using System.Security.Cryptography;
using System.Text;

namespace TwoFactorFunctions.Core.Factors;

/// <summary>Generates recovery codes and their keyed hashes, in the manner of <see cref="Challenges.CodeHasher"/>.</summary>
/// <remarks>
/// A code is 10 characters of a 32-letter alphabet without look-alikes (50 bits), shown as <c>xxxxx-xxxxx</c>. The
/// HMAC is keyed with the code-hash secret and bound to tenant, user and set, so a hash copied to another user or kept
/// from a voided set never verifies; the storage alone cannot test guesses against it.
/// </remarks>
public sealed class RecoveryCodes
{
    public const int SetSize = 10;

    public const int Length = 10;

    /// <summary>32 symbols, without i, l, o and 1 (read the same as others in many fonts).</summary>
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyz023456789";

    private readonly byte[] _key;

    public RecoveryCodes(byte[] key)
    {
        if (key.Length < 32)
        {
            throw new ArgumentException("The recovery-code key must be at least 256 bits.", nameof(key));
        }

        _key = key.ToArray();
    }

    public static string NewCode()
    {
        var chars = new char[Length];
        for (var i = 0; i < Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return new string(chars, 0, 5) + "-" + new string(chars, 5, 5);
    }

    /// <summary>What the user meant: case, spaces and hyphens ignored. Null when it cannot be a recovery code.</summary>
    public static string? Normalise(string? code)
    {
        if (code is null || code.Length > 40)
        {
            return null;
        }

        var text = new string(code.Where(c => c is not ('-' or ' ')).Select(char.ToLowerInvariant).ToArray());
        return text.Length == Length && text.All(Alphabet.Contains) ? text : null;
    }

    public byte[] Hash(string tenantId, string userId, string setId, string normalisedCode) =>
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"recovery\n{tenantId}\n{userId}\n{setId}\n{normalisedCode}"));

    /// <summary>The slot of the code that matches (used or not), or -1; every slot is compared, in constant time each.</summary>
    public int Find(UserFactors factors, string normalisedCode)
    {
        if (factors.RecoverySetId is not { } setId)
        {
            return -1;
        }

        var presented = Hash(factors.TenantId, factors.UserId, setId, normalisedCode);
        var found = -1;
        for (var i = 0; i < factors.RecoveryCodeHashes.Count; i++)
        {
            if (factors.RecoveryCodeHashes[i] is { } stored && CryptographicOperations.FixedTimeEquals(stored, presented))
            {
                found = i;
            }
        }

        return found;
    }
}
