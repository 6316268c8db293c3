using TwoFactorFunctions.Core.Common;

namespace TwoFactorFunctions.UnitTests.Common;

public class PhoneNumberRulesTests
{
    [Theory]
    [InlineData("+13035551212", null, "+13035551212")]
    [InlineData("+1 (303) 555-1212", null, "+13035551212")]
    [InlineData("0412 345 678", "AU", "+61412345678")]
    public void Normalize_ValidNumber_ReturnsE164(string input, string? region, string expected)
    {
        var result = PhoneNumberRules.Normalize(input, region);

        Assert.True(result.IsSuccess);
        Assert.Equal(expected, result.Value);
    }

    [Theory]
    [InlineData("12345", "US")]
    [InlineData("not a number", "US")]
    [InlineData("+999123", null)]
    [InlineData("0412 345 678", null)]
    public void Normalize_InvalidNumber_ReturnsInvalidPhone(string input, string? region)
    {
        var result = PhoneNumberRules.Normalize(input, region);

        Assert.False(result.IsSuccess);
        Assert.Equal("invalid_phone", result.Error.Code);
    }
}
