using System.Security.Cryptography;
using System.Text;

namespace TwoFactorFunctions.Core.Challenges;

/// <summary>Generates codes and their keyed hashes.</summary>
/// <remarks>
/// A plain hash of a 6-digit code is reversed by trying all million values; an HMAC with a secret the storage never
/// sees is not. Binding the MAC to tenant, challenge and code version means a hash copied to another challenge row,
/// or kept from before a resend, never verifies.
/// </remarks>
public sealed class CodeHasher
{
    public const int CodeLength = 6;

    private readonly byte[] _key;

    public CodeHasher(byte[] key)
    {
        if (key.Length < 32)
        {
            throw new ArgumentException("The code-hash key must be at least 256 bits.", nameof(key));
        }

        _key = key.ToArray();
    }

    public static string NewCode() =>
        RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    public static bool IsWellFormed(string? code) => code is { Length: CodeLength } && code.All(char.IsAsciiDigit);

    public byte[] Hash(Challenge challenge, int codeVersion, string code)
    {
        var material = Encoding.UTF8.GetBytes($"{challenge.TenantId}\n{challenge.ChallengeId}\n{codeVersion}\n{code}");
        return HMACSHA256.HashData(_key, material);
    }

    /// <summary>Constant-time comparison, so response timing says nothing about how many bytes matched.</summary>
    public bool Matches(Challenge challenge, string code) =>
        challenge.CodeHash is { } stored
        && CryptographicOperations.FixedTimeEquals(stored, Hash(challenge, challenge.CodeVersion, code));
}
