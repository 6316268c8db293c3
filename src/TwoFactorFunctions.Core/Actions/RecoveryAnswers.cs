using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TwoFactorFunctions.Core.Common;

namespace TwoFactorFunctions.Core.Actions;

/// <summary>A question the user may pick for password recovery.</summary>
public sealed record RecoveryQuestion(string Id, string Text)
{
    public const int MaxTextLength = 200;
    public const int MaxPerTenant = 20;

    /// <summary>Used while a tenant has not set its own list.</summary>
    public static readonly IReadOnlyList<RecoveryQuestion> Defaults =
    [
        new("first-school", "What was the name of the first school you went to?"),
        new("childhood-street", "On which street did you live as a child?"),
        new("first-pet", "What was the name of your first pet?"),
        new("first-manager", "What was the surname of your first manager?"),
        new("birth-city-parent", "In which town or city was your oldest parent or guardian born?"),
        new("first-concert", "Who performed at the first concert you went to?"),
    ];
}

/// <summary>
/// Recovery answers, stored only as a slow salted hash. An answer is a low-entropy secret (a pet's name), so the hash
/// is PBKDF2-HMAC-SHA512 at OWASP's recommended cost, and the stored form names its algorithm and iteration count so
/// the cost can be raised later without invalidating answers already stored.
/// </summary>
public static class RecoveryAnswers
{
    public const int MinLength = 3;
    public const int MaxLength = 100;

    /// <summary>OWASP's 2023 recommendation for PBKDF2-HMAC-SHA512.</summary>
    public const int Iterations = 210_000;

    private const string Scheme = "pbkdf2-sha512";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>
    /// What the user meant rather than how they typed it: lower-cased (invariant culture) and runs of white space
    /// collapsed to one space, so "  Rex  the DOG" matches "rex the dog".
    /// </summary>
    /// <remarks>
    /// No Unicode normalisation form: the apps run with invariant globalization, where its result is not guaranteed to
    /// match a host with ICU, and a stored hash must verify the same on every host.
    /// </remarks>
    public static Result<string> Normalise(string? answer)
    {
        var text = answer ?? "";
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                if (builder.Length > 0 && builder[^1] != ' ')
                {
                    builder.Append(' ');
                }
            }
            else if (char.IsControl(c))
            {
                return new DomainError(ErrorKind.Invalid, "invalid_recovery_answer_format", "The answer may not contain control characters.");
            }
            else
            {
                builder.Append(c);
            }
        }

        var normalised = builder.ToString().TrimEnd().ToLower(CultureInfo.InvariantCulture);
        return normalised.Length is < MinLength or > MaxLength
            ? new DomainError(ErrorKind.Invalid, "invalid_recovery_answer_format", $"The answer must be {MinLength}-{MaxLength} characters.")
            : normalised;
    }

    /// <summary>The stored form: <c>pbkdf2-sha512$iterations$salt$hash</c> (base64 parts).</summary>
    public static string Hash(string normalisedAnswer)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(normalisedAnswer, salt, Iterations, HashBytes);
        return string.Join('$', Scheme, Iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>Constant-time comparison; a stored value in an unknown form never matches.</summary>
    public static bool Matches(string? stored, string normalisedAnswer)
    {
        var parts = stored?.Split('$');
        if (parts is not { Length: 4 } || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            return false;
        }

        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        return expected.Length > 0
            && CryptographicOperations.FixedTimeEquals(expected, Derive(normalisedAnswer, salt, iterations, expected.Length));
    }

    private static byte[] Derive(string answer, byte[] salt, int iterations, int length) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(answer), salt, iterations, HashAlgorithmName.SHA512, length);
}
