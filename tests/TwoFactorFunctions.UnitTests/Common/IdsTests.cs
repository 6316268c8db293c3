using TwoFactorFunctions.Core.Common;

namespace TwoFactorFunctions.UnitTests.Common;

public class IdsTests
{
    [Theory]
    [InlineData("user-001")]
    [InlineData("mary.hopkins@example.com")]
    [InlineData("A_b.c+d~e")]
    public void IsValid_SafeCharacters_True(string id) => Assert.True(Ids.IsValid(id));

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a|b")]
    [InlineData("a\u0001b")]
    [InlineData("a b")]
    [InlineData("x' or PartitionKey ne '")]
    public void IsValid_KeyBreakingCharacters_False(string id) => Assert.False(Ids.IsValid(id));

    [Fact]
    public void IsValid_LongerThanLimit_False()
    {
        Assert.True(Ids.IsValid(new string('a', Ids.MaxLength)));
        Assert.False(Ids.IsValid(new string('a', Ids.MaxLength + 1)));
    }

    [Fact]
    public void Validate_InvalidId_ReturnsInvalidIdError()
    {
        var error = Ids.Validate("a/b", "userId");

        Assert.NotNull(error);
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Equal("invalid_id", error.Code);
    }

    [Fact]
    public void NewId_CalledTwice_ReturnsDistinctValidIds()
    {
        var a = Ids.NewId();
        var b = Ids.NewId();

        Assert.NotEqual(a, b);
        Assert.True(Ids.IsValid(a));
        Assert.Equal(22, a.Length);
    }
}
