using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace TwoFactorFunctions.Core.Common;

/// <summary>
/// Validation of identifiers that become Table Storage keys, and generation of our own ids.
/// </summary>
/// <remarks>
/// Table keys may not contain <c>/ \ # ?</c> or control characters, and we compose row keys as
/// <c>{userId}|{deviceId}</c> and query them by prefix, so a caller-supplied id must not contain the separator either.
/// An allow-list is stricter than the storage rules and keeps ids safe in routes, logs and keys alike. Ids in a route
/// are checked once, at the HTTP edge, by the endpoint filter every API endpoint carries (<c>RouteIds</c>); the services
/// check only the ids that reach them another way (a request body, a header, a token).
/// </remarks>
public static class Ids
{
    public const int MaxLength = 128;

    public static bool IsValid([NotNullWhen(true)] string? id)
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

    /// <summary>
    /// What is stored of a bearer token from <see cref="NewToken"/> (a device secret, a browser token, a password
    /// receipt): its SHA-256. The token is at least 256 random bits, so unlike a 6-digit code there is nothing to
    /// brute-force and no key or slow hash is needed; a copy of the table holds no usable token.
    /// </summary>
    public static byte[] HashToken(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
