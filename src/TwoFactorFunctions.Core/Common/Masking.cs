namespace TwoFactorFunctions.Core.Common;

/// <summary>Masks destinations so a screen can show where a code went without disclosing the contact.</summary>
public static class Masking
{
    /// <summary><c>margaret.collins@example.com</c> → <c>m...s@example.com</c> (the seed's sign-in screen shape).</summary>
    public static string Email(string email)
    {
        var at = email.LastIndexOf('@');
        if (at <= 0)
        {
            return "***";
        }

        var local = email[..at];
        var domain = email[(at + 1)..];
        return local.Length == 1 ? $"{local}...@{domain}" : $"{local[0]}...{local[^1]}@{domain}";
    }

    /// <summary><c>+13035551212</c> → <c>+1******1212</c>: country code and last four digits stay readable.</summary>
    public static string Phone(string e164, int countryCodeDigits)
    {
        const int visibleTail = 4;
        var digits = e164.TrimStart('+');
        if (digits.Length <= countryCodeDigits + visibleTail)
        {
            return "+" + new string('*', digits.Length);
        }

        var hidden = digits.Length - countryCodeDigits - visibleTail;
        return "+" + digits[..countryCodeDigits] + new string('*', hidden) + digits[^visibleTail..];
    }
}
