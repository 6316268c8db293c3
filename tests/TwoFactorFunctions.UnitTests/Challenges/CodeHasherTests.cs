using System.Security.Cryptography;
using TwoFactorFunctions.Core.Challenges;

namespace TwoFactorFunctions.UnitTests.Challenges;

public class CodeHasherTests
{
    private static readonly CodeHasher Hasher = new(RandomNumberGenerator.GetBytes(32));

    private static Challenge NewChallenge(string id = "ch1", string tenant = "t1") => new()
    {
        TenantId = tenant,
        ChallengeId = id,
        UserId = "u1",
        Destination = "u1@example.com",
    };

    [Fact]
    public void NewCode_Always_SixAsciiDigits()
    {
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(CodeHasher.IsWellFormed(CodeHasher.NewCode()));
        }
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    [InlineData("١٢٣٤٥٦")]
    [InlineData(null)]
    public void IsWellFormed_NotSixAsciiDigits_False(string? code) => Assert.False(CodeHasher.IsWellFormed(code));

    [Fact]
    public void Matches_RightCodeAndVersion_True()
    {
        var challenge = NewChallenge();
        challenge = challenge with { CodeVersion = 1, CodeHash = Hasher.Hash(challenge, 1, "123456") };

        Assert.True(Hasher.Matches(challenge, "123456"));
        Assert.False(Hasher.Matches(challenge, "123457"));
    }

    [Fact]
    public void Matches_HashFromEarlierCodeVersion_False()
    {
        // A resend bumps the version: the same digits under the old version no longer verify.
        var challenge = NewChallenge();
        challenge = challenge with { CodeVersion = 2, CodeHash = Hasher.Hash(challenge, 1, "123456") };

        Assert.False(Hasher.Matches(challenge, "123456"));
    }

    [Fact]
    public void Matches_HashCopiedFromAnotherChallengeOrTenant_False()
    {
        var source = NewChallenge("ch1", "t1");
        var hash = Hasher.Hash(source, 1, "123456");

        Assert.False(Hasher.Matches(NewChallenge("ch2", "t1") with { CodeVersion = 1, CodeHash = hash }, "123456"));
        Assert.False(Hasher.Matches(NewChallenge("ch1", "t2") with { CodeVersion = 1, CodeHash = hash }, "123456"));
    }

    [Fact]
    public void Matches_DifferentKey_False()
    {
        var challenge = NewChallenge();
        var other = new CodeHasher(RandomNumberGenerator.GetBytes(32));
        challenge = challenge with { CodeVersion = 1, CodeHash = other.Hash(challenge, 1, "123456") };

        Assert.False(Hasher.Matches(challenge, "123456"));
    }

    [Fact]
    public void Constructor_ShortKey_Throws() =>
        Assert.Throws<ArgumentException>(() => new CodeHasher(new byte[16]));
}
