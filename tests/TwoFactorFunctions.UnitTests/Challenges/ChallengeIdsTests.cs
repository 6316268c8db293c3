using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Common;

namespace TwoFactorFunctions.UnitTests.Challenges;

public class ChallengeIdsTests
{
    [Theory]
    [InlineData("u1")]
    [InlineData("ann.lee@example.com")]
    [InlineData("a.b.c")]
    public void New_AnyUserId_NamesThatUser(string userId)
    {
        var id = ChallengeIds.New(userId);

        Assert.True(ChallengeIds.IsValid(id));
        Assert.True(ChallengeIds.TryGetUserId(id, out var named));
        Assert.Equal(userId, named);
    }

    [Fact]
    public void New_LongestUserId_StillAValidChallengeId()
    {
        var id = ChallengeIds.New(new string('u', Ids.MaxLength));

        Assert.Equal(ChallengeIds.MaxLength, id.Length);
        Assert.True(ChallengeIds.IsValid(id));
        Assert.False(Ids.IsValid(id));
    }

    [Fact]
    public void New_TwiceForOneUser_DifferentIds() =>
        Assert.NotEqual(ChallengeIds.New("u1"), ChallengeIds.New("u1"));

    [Theory]
    [InlineData("nope")]
    [InlineData("0123456789012345678901")]
    [InlineData("0123456789012345678901.")]
    [InlineData("0123456789012345678901x u1")]
    [InlineData("012345678901234567890.u1")]
    public void TryGetUserId_NotAnIdThisServiceIssued_False(string id) => Assert.False(ChallengeIds.TryGetUserId(id, out _));

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("0123456789012345678901.u#1")]
    public void IsValid_NotATableKey_False(string id) => Assert.False(ChallengeIds.IsValid(id));
}
