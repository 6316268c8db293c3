using System.Buffers.Text;
using System.Security.Cryptography;

namespace TwoFactorFunctions.Core.Challenges;

/// <summary>
/// The browser's credential for one sign-in challenge. The portal's server creates the challenge with its key and
/// hands this token to the browser, which can then resend and verify that challenge without ever holding the key.
/// </summary>
/// <remarks>
/// 256 random bits, so a plain SHA-256 is enough to store it (nothing to brute-force, unlike a 6-digit code). It is
/// bound to the challenge row, hence to its tenant and user, and is worth nothing once the challenge has ended.
/// </remarks>
public static class BrowserTokens
{
    public static (string Token, byte[] Hash) New()
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (token, Hash(token));
    }

    public static bool Matches(Challenge challenge, string? presented) =>
        challenge.BrowserTokenHash is { } stored && !string.IsNullOrEmpty(presented) && presented.Length <= 64
        && CryptographicOperations.FixedTimeEquals(stored, Hash(presented));

    private static byte[] Hash(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));
}
