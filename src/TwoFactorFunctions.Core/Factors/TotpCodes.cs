using System.Globalization;
using System.Security.Cryptography;
using OtpNet;

namespace TwoFactorFunctions.Core.Factors;

/// <summary>TOTP (RFC 6238) over Otp.NET: 30-second steps, HMAC-SHA1, one step of drift either way.</summary>
public static class TotpCodes
{
    public const int StepSeconds = 30;

    public const int Digits = 6;

    /// <summary>160 bits, the RFC 4226 recommendation and what authenticator apps expect for SHA-1.</summary>
    public const int SecretBytes = 20;

    /// <summary>One step back and one ahead: a phone clock a little off, or a code typed as it rolled over.</summary>
    public static readonly VerificationWindow Drift = new(previous: 1, future: 1);

    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(SecretBytes);

    public static string Base32(byte[] secret) => Base32Encoding.ToString(secret).TrimEnd('=');

    public static long StepAt(DateTimeOffset at) => at.ToUnixTimeSeconds() / StepSeconds;

    public static string Compute(byte[] secret, DateTimeOffset at, int digits = Digits) =>
        Totp(secret, digits).ComputeTotp(at.UtcDateTime);

    public static bool IsWellFormed(string? code, int digits = Digits) => code is { } c && c.Length == digits && c.All(char.IsAsciiDigit);

    /// <summary>The time step <paramref name="code"/> belongs to within the drift window of <paramref name="now"/>, or null.</summary>
    public static long? MatchStep(byte[] secret, string code, DateTimeOffset now, int digits = Digits) =>
        IsWellFormed(code, digits) && Totp(secret, digits).VerifyTotp(now.UtcDateTime, code, out var step, Drift) ? step : null;

    /// <summary>The Key URI Format authenticator apps read from a QR code.</summary>
    public static string Uri(string issuer, string account, byte[] secret)
    {
        var label = System.Uri.EscapeDataString(issuer) + ":" + System.Uri.EscapeDataString(account);
        return string.Create(CultureInfo.InvariantCulture,
            $"otpauth://totp/{label}?secret={Base32(secret)}&issuer={System.Uri.EscapeDataString(issuer)}&algorithm=SHA1&digits={Digits}&period={StepSeconds}");
    }

    private static Totp Totp(byte[] secret, int digits) => new(secret, StepSeconds, OtpHashMode.Sha1, digits);
}
