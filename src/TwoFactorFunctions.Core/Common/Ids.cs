using System.Buffers.Text;
using System.Security.Cryptography;

namespace TwoFactorFunctions.Core.Common;

/// <summary>
/// Validation of identifiers that become Table Storage keys, and generation of our own ids.
/// </summary>
/// <remarks>
/// Table keys may not contain <c>/ \ # ?</c> or control characters, and we compose row keys as
/// <c>{userId}|{deviceId}</c> and query them by prefix, so a caller-supplied id must not contain the separator either.
/// An allow-list is stricter than the storage rules and keeps ids safe in routes, logs and keys alike.
/// </remarks>
public static class Ids
{
    public const int MaxLength = 128;

    public static bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            var ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
                or '-' or '_' or '.' or '@' or '+' or '~';
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    public static DomainError? Validate(string? id, string name) => IsValid(id)
        ? null
        : new DomainError(ErrorKind.Invalid, "invalid_id",
            $"'{name}' must be 1-{MaxLength} characters of letters, digits and - _ . @ + ~.");

    /// <summary>A new random id (128 bits, URL-safe), unguessable so ids never act as enumerable handles.</summary>
    public static string NewId() => NewToken(16);

    public static string NewToken(int bytes)
    {
        Span<byte> buffer = stackalloc byte[bytes];
        RandomNumberGenerator.Fill(buffer);
        return Base64Url.EncodeToString(buffer);
    }
}
