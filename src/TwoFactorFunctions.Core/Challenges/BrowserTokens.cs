using System.Security.Cryptography;
using TwoFactorFunctions.Core.Common;

namespace TwoFactorFunctions.Core.Challenges;

/// <summary>
/// The browser's credential for one sign-in challenge. The portal's server creates the challenge with its key and
/// hands this token to the browser, which can then resend and verify that challenge without ever holding the key.
/// </summary>
/// <remarks>
/// 256 random bits, stored as its SHA-256 (<see cref="Ids.HashToken"/>). It is bound to the challenge row, hence to
/// its tenant and user, and is worth nothing once the challenge has ended.
/// </remarks>
public static class BrowserTokens
{
    public static (string Token, byte[] Hash) New()
    {
        var token = Ids.NewToken(32);
        return (token, Ids.HashToken(token));
    }

    public static bool Matches(Challenge challenge, string? presented) =>
        challenge.BrowserTokenHash is { } stored && !string.IsNullOrEmpty(presented) && presented.Length <= 64
        && CryptographicOperations.FixedTimeEquals(stored, Ids.HashToken(presented));
}
