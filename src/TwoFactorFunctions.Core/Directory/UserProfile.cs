using TwoFactorFunctions.Core.Common;

namespace TwoFactorFunctions.Core.Directory;

/// <summary>The directory fields the portal owns and syncs; validated before anything is written.</summary>
public sealed record UserProfile(string UserId, string DisplayName, string? Email, string? Phone, UserRole Role, bool Active)
{
    public const int MaxDisplayNameLength = 256;
    public const int MaxEmailLength = 254;

    /// <summary>The portal gave the user a temporary password: the next sign-in must change it and set a recovery question.</summary>
    public bool TemporaryPassword { get; init; }

    /// <summary>Validates and normalises (phone to E.164, email trimmed); nothing is stored when this fails.</summary>
    public static Result<UserProfile> Create(string? userId, string? displayName, string? email, string? phone,
        UserRole role, bool active, string? defaultRegion)
    {
        if (Ids.Validate(userId, "userId") is { } idError)
        {
            return idError;
        }

        displayName = displayName?.Trim() ?? "";
        if (displayName.Length > MaxDisplayNameLength || displayName.Any(char.IsControl))
        {
            return new DomainError(ErrorKind.Invalid, "invalid_display_name",
                $"displayName must be at most {MaxDisplayNameLength} characters without control characters.");
        }

        email = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        if (email is not null && !IsPlausibleEmail(email))
        {
            return new DomainError(ErrorKind.Invalid, "invalid_email", "email is not a valid address.");
        }

        string? e164 = null;
        if (!string.IsNullOrWhiteSpace(phone))
        {
            var normalized = PhoneNumberRules.Normalize(phone.Trim(), defaultRegion);
            if (!normalized.IsSuccess)
            {
                return normalized.Error;
            }

            e164 = normalized.Value;
        }

        return new UserProfile(userId!, displayName, email, e164, role, active);
    }

    private static bool IsPlausibleEmail(string email)
    {
        if (email.Length > MaxEmailLength || email.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return false;
        }

        var at = email.LastIndexOf('@');
        return at > 0 && at < email.Length - 1 && email.IndexOf('@') == at && email[(at + 1)..].Contains('.');
    }
}
