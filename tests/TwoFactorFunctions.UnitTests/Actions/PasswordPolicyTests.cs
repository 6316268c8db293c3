using TwoFactorFunctions.Core.Actions;
using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.UnitTests.Actions;

public class PasswordPolicyTests
{
    private static readonly DirectoryUser Mary = new()
    {
        TenantId = "t1",
        UserId = "mary.hopkins",
        DisplayName = "Mary Hopkins",
        Email = "m.hopkins@example.com",
    };

    [Theory]
    [InlineData("Sh0rt", "password_too_short")]
    [InlineData("alllowercase7x", "password_missing_uppercase")]
    [InlineData("ALLUPPERCASE7X", "password_missing_lowercase")]
    [InlineData("NoDigitsAtAllHere", "password_missing_digit")]
    [InlineData("Hopkins4Ever!", "password_contains_user_name")]
    [InlineData("xMARYx9Lamp", "password_contains_user_name")]
    [InlineData("Password1", "password_too_common")]
    [InlineData("wELCOME2024!", "password_too_common")]
    public void Check_BreaksOneRule_ThatRulesCodeOnly(string password, string code)
    {
        var violations = PasswordPolicy.Default.Check(password, Mary);

        Assert.Equal([code], violations.Select(v => v.Code));
    }

    [Fact]
    public void Check_TooLong_TooLong()
    {
        var violations = PasswordPolicy.Default.Check("Aa1" + new string('z', 62), Mary);

        Assert.Equal(["password_too_long"], violations.Select(v => v.Code));
    }

    [Fact]
    public void Check_BreaksSeveralRules_EveryCodeInRuleOrder()
    {
        var violations = PasswordPolicy.Default.Check("mary", Mary);

        Assert.Equal(["password_too_short", "password_missing_uppercase", "password_missing_digit", "password_contains_user_name"],
            violations.Select(v => v.Code));
    }

    [Theory]
    [InlineData("Tr4vel-Kettle-Moss")]
    [InlineData("Ma7rix-Lantern")] // "ma" is shorter than 3 characters, so it is no name part
    public void Check_GoodPassword_NoViolations(string password)
    {
        Assert.Empty(PasswordPolicy.Default.Check(password, Mary));
    }

    [Fact]
    public void NameParts_UserIdEmailAndDisplayName_SplitAtSeparatorsThreeOrMoreCharacters()
    {
        var user = Mary with { UserId = "jo.smith-99", Email = "js@example.com", DisplayName = "Jo Ann Smith" };

        Assert.Equal(["smith", "Ann"], PasswordPolicy.NameParts(user));
    }

    [Fact]
    public void Check_SymbolRequired_MissingSymbol()
    {
        var policy = PasswordPolicy.Default with { RequireSymbol = true };

        Assert.Equal(["password_missing_symbol"], policy.Check("Tr4velKettleMoss", Mary).Select(v => v.Code));
    }

    [Theory]
    [InlineData(7, 64)]
    [InlineData(8, 63)]
    [InlineData(8, 257)]
    [InlineData(300, 300)]
    public void Validate_OutOfRangeLengths_InvalidPasswordPolicy(int min, int max)
    {
        var policy = PasswordPolicy.Default with { MinLength = min, MaxLength = max };

        Assert.Equal("invalid_password_policy", policy.Validate()?.Code);
    }

    [Fact]
    public void CommonPasswords_ShippedList_LoadedAndCaseInsensitive()
    {
        Assert.True(CommonPasswords.Count > 500);
        Assert.True(CommonPasswords.Contains("QWERTY123"));
        Assert.False(CommonPasswords.Contains("Tr4vel-Kettle-Moss"));
    }
}
