using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.UnitTests.Directory;

public class UserProfileTests
{
    [Fact]
    public void Create_ValidInput_NormalisesPhoneAndTrimsEmail()
    {
        var result = UserProfile.Create("u1", " Mary ", " mary@example.com ", "(303) 555-1212", UserRole.Admin, true, "US");

        Assert.True(result.IsSuccess);
        Assert.Equal("Mary", result.Value.DisplayName);
        Assert.Equal("mary@example.com", result.Value.Email);
        Assert.Equal("+13035551212", result.Value.Phone);
    }

    [Theory]
    [InlineData("u/1", "a@example.com", null, "invalid_id")]
    [InlineData("u1", "not-an-email", null, "invalid_email")]
    [InlineData("u1", "a@@example.com", null, "invalid_email")]
    [InlineData("u1", "a@example.com", "+1555", "invalid_phone")]
    public void Create_InvalidField_ReturnsStableCode(string userId, string email, string? phone, string code)
    {
        var result = UserProfile.Create(userId, "Name", email, phone, UserRole.User, true, "US");

        Assert.False(result.IsSuccess);
        Assert.Equal(code, result.Error.Code);
    }

    [Fact]
    public void Create_DisplayNameWithControlCharacters_Invalid()
    {
        var result = UserProfile.Create("u1", "Mary\u0007", null, null, UserRole.User, true, "US");

        Assert.Equal("invalid_display_name", result.Error!.Code);
    }
}
