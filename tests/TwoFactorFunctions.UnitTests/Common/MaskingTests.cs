using TwoFactorFunctions.Core.Common;

namespace TwoFactorFunctions.UnitTests.Common;

public class MaskingTests
{
    [Theory]
    [InlineData("margaret.collins@example.com", "m...s@example.com")]
    [InlineData("ab@example.com", "a...b@example.com")]
    [InlineData("a@example.com", "a...@example.com")]
    public void Email_Address_KeepsFirstAndLastLocalCharacterAndDomain(string email, string expected) =>
        Assert.Equal(expected, Masking.Email(email));

    [Theory]
    [InlineData("+13035551212", "+1******1212")]
    [InlineData("+61412345678", "+61*****5678")]
    public void PhoneMask_E164_KeepsCountryCodeAndLastFourDigits(string e164, string expected) =>
        Assert.Equal(expected, PhoneNumberRules.Mask(e164));
}
