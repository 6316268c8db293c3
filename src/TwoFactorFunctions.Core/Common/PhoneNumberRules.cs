using PhoneNumbers;

namespace TwoFactorFunctions.Core.Common;

/// <summary>Phone validation and E.164 normalisation (libphonenumber), so every stored number is dialable as-is.</summary>
public static class PhoneNumberRules
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>Parses <paramref name="input"/> (E.164, or national format with <paramref name="defaultRegion"/>).</summary>
    public static Result<string> Normalize(string input, string? defaultRegion)
    {
        PhoneNumber parsed;
        try
        {
            parsed = Util.Parse(input, string.IsNullOrEmpty(defaultRegion) ? null : defaultRegion.ToUpperInvariant());
        }
        catch (NumberParseException ex)
        {
            return new DomainError(ErrorKind.Invalid, "invalid_phone",
                $"The phone number could not be read ({ex.ErrorType}); use E.164, for example +13035551212.");
        }

        if (!Util.IsValidNumber(parsed))
        {
            return new DomainError(ErrorKind.Invalid, "invalid_phone",
                "The phone number is not a valid number for its country; use E.164, for example +13035551212.");
        }

        return Util.Format(parsed, PhoneNumberFormat.E164);
    }

    public static bool IsKnownRegion(string region) => Util.GetSupportedRegions().Contains(region);

    public static bool IsKnownCallingCode(int code) => Util.GetSupportedCallingCodes().Contains(code);

    public static int CountryCode(string e164) => Util.Parse(e164, null).CountryCode;

    public static int CountryCodeForRegion(string region) => Util.GetCountryCodeForRegion(region.ToUpperInvariant());

    public static string Mask(string e164) => Masking.Phone(e164, CountryCode(e164).ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
}
