using System.Globalization;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Core.Actions;

/// <summary>One rule a proposed password breaks, with a stable code the portal can switch on.</summary>
public sealed record PasswordViolation(string Code, string Detail);

/// <summary>
/// A tenant's password rules. The defaults are seed A's ("at least 8 characters, a lowercase letter, an uppercase
/// letter, a number, no parts of your username") plus a maximum length and the shipped list of common passwords.
/// </summary>
public sealed record PasswordPolicy
{
    /// <summary>Below 8 is refused outright (NIST SP 800-63B's floor for user-chosen passwords).</summary>
    public const int MinAllowedLength = 8;

    /// <summary>Passwords are hashed by the portal; this cap only keeps pathological inputs out.</summary>
    public const int MaxAllowedLength = 256;

    /// <summary>Parts of a name shorter than this are too common to refuse ("al", "li").</summary>
    public const int NamePartMinLength = 3;

    public static readonly PasswordPolicy Default = new();

    public int MinLength { get; init; } = 8;

    /// <summary>NIST SP 800-63B asks that at least 64 characters be allowed.</summary>
    public int MaxLength { get; init; } = 64;

    public bool RequireLowercase { get; init; } = true;

    public bool RequireUppercase { get; init; } = true;

    public bool RequireDigit { get; init; } = true;

    public bool RequireSymbol { get; init; }

    public bool DisallowUserNameParts { get; init; } = true;

    public bool DisallowCommon { get; init; } = true;

    public DomainError? Validate()
    {
        if (MinLength is < MinAllowedLength or > MaxAllowedLength || MaxLength < Math.Max(MinLength, 64) || MaxLength > MaxAllowedLength)
        {
            return new DomainError(ErrorKind.Invalid, "invalid_password_policy",
                $"minLength must be {MinAllowedLength}-{MaxAllowedLength}, and maxLength at least minLength and 64, at most {MaxAllowedLength}.");
        }

        return null;
    }

    /// <summary>Every rule the password breaks (empty when it passes). The password is only read, never kept.</summary>
    public IReadOnlyList<PasswordViolation> Check(string password, DirectoryUser user)
    {
        var violations = new List<PasswordViolation>();
        var length = new StringInfo(password).LengthInTextElements;
        if (length < MinLength)
        {
            violations.Add(new("password_too_short", $"Use at least {MinLength} characters."));
        }

        if (length > MaxLength)
        {
            violations.Add(new("password_too_long", $"Use at most {MaxLength} characters."));
        }

        if (RequireLowercase && !password.Any(char.IsLower))
        {
            violations.Add(new("password_missing_lowercase", "Include a lowercase letter."));
        }

        if (RequireUppercase && !password.Any(char.IsUpper))
        {
            violations.Add(new("password_missing_uppercase", "Include an uppercase letter."));
        }

        if (RequireDigit && !password.Any(char.IsDigit))
        {
            violations.Add(new("password_missing_digit", "Include a number."));
        }

        if (RequireSymbol && password.All(char.IsLetterOrDigit))
        {
            violations.Add(new("password_missing_symbol", "Include a symbol or punctuation mark."));
        }

        if (DisallowUserNameParts && NameParts(user).Any(part => password.Contains(part, StringComparison.OrdinalIgnoreCase)))
        {
            violations.Add(new("password_contains_user_name", "Do not use any part of your user name or name."));
        }

        if (DisallowCommon && CommonPasswords.Contains(password))
        {
            violations.Add(new("password_too_common", "This password is too common; choose one that is harder to guess."));
        }

        return violations;
    }

    /// <summary>The user name, the email's local part and the display name, split at anything not a letter or digit.</summary>
    public static IEnumerable<string> NameParts(DirectoryUser user)
    {
        var local = user.Email is { } email && email.IndexOf('@') is var at and > 0 ? email[..at] : null;
        return new[] { user.UserId, local, user.DisplayName }
            .Where(s => !string.IsNullOrEmpty(s))
            .SelectMany(s => s!.Split(s.Where(c => !char.IsLetterOrDigit(c)).Distinct().ToArray(), StringSplitOptions.RemoveEmptyEntries))
            .Where(part => part.Length >= NamePartMinLength)
            .Distinct(StringComparer.OrdinalIgnoreCase);
    }
}
