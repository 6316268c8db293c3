using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Core.Accounts;

/// <summary>
/// The "this wasn't me" token every change notice carries: <c>{issued unix seconds}.{HMAC}</c> over tenant, user, the
/// user's security stamp and the issue time. Nothing is stored: a token is valid for <see cref="DirectoryUser.ContactGrace"/>
/// and only while the stamp is the one it was made under, so the report itself (which replaces the stamp) spends it.
/// </summary>
public sealed class ChangeReportTokens
{
    private const int MaxTokenLength = 100;

    private readonly byte[] _key;
    private readonly TimeProvider _time;

    /// <param name="codeHashKey">The deployment's code-hash key; a key of its own is derived from it, so a MAC made here
    /// can never be confused with a code hash.</param>
    public ChangeReportTokens(byte[] codeHashKey, TimeProvider time)
    {
        _key = HMACSHA256.HashData(codeHashKey, "change-report-token"u8);
        _time = time;
    }

    public string Issue(DirectoryUser user)
    {
        var issued = _time.GetUtcNow().ToUnixTimeSeconds();
        return string.Create(CultureInfo.InvariantCulture, $"{issued}.{Mac(user, issued)}");
    }

    public bool IsValid(DirectoryUser user, string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return false;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !long.TryParse(token.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var issued))
        {
            return false;
        }

        var age = _time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Min(issued, DateTimeOffset.MaxValue.ToUnixTimeSeconds() - 1));
        return age >= TimeSpan.FromMinutes(-1) && age <= DirectoryUser.ContactGrace
               && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(user, issued)), Encoding.ASCII.GetBytes(token[(dot + 1)..]));
    }

    private string Mac(DirectoryUser user, long issued)
    {
        var material = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{user.TenantId}\n{user.UserId}\n{user.SecurityStamp}\n{issued}"));
        return Convert.ToBase64String(HMACSHA256.HashData(_key, material)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
