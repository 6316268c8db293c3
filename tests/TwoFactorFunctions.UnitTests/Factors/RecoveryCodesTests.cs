using System.Security.Cryptography;
using TwoFactorFunctions.Core.Factors;

namespace TwoFactorFunctions.UnitTests.Factors;

public class RecoveryCodesTests
{
    private static readonly RecoveryCodes Codes = new(RandomNumberGenerator.GetBytes(32));

    private static UserFactors WithSet(string tenant, string user, string setId, params string[] codes) => new()
    {
        TenantId = tenant,
        UserId = user,
        RecoverySetId = setId,
        RecoveryCodeHashes = codes.Select(c => (byte[]?)Codes.Hash(tenant, user, setId, RecoveryCodes.Normalise(c)!)).ToArray(),
    };

    [Fact]
    public void NewCode_Always_WellFormedAndNormalisesToTenCharacters()
    {
        for (var i = 0; i < 1000; i++)
        {
            var code = RecoveryCodes.NewCode();
            Assert.Matches("^[a-z0-9]{5}-[a-z0-9]{5}$", code);
            Assert.Equal(10, RecoveryCodes.Normalise(code)!.Length);
        }
    }

    [Theory]
    [InlineData("ABCDE-FGHJK", "abcdefghjk")]
    [InlineData(" abcde fghjk ", "abcdefghjk")]
    [InlineData("abcdefghjk", "abcdefghjk")]
    public void Normalise_CaseSpacesAndHyphens_Ignored(string input, string expected) => Assert.Equal(expected, RecoveryCodes.Normalise(input));

    [Theory]
    [InlineData("")]
    [InlineData("abcde-fghj")]
    [InlineData("abcde-fghjkm")]
    [InlineData("abcde-fghi1")]
    [InlineData("123456")]
    [InlineData(null)]
    public void Normalise_NotARecoveryCode_Null(string? input) => Assert.Null(RecoveryCodes.Normalise(input));

    [Fact]
    public void Find_CodeOfTheSet_ItsSlot()
    {
        var factors = WithSet("t1", "u1", "s1", "aaaaa-bbbbb", "ccccc-ddddd");

        Assert.Equal(1, Codes.Find(factors, "cccccddddd"));
    }

    [Fact]
    public void Find_UsedSlot_FoundAndMarkedUsed()
    {
        var factors = WithSet("t1", "u1", "s1", "aaaaa-bbbbb", "ccccc-ddddd") with { RecoveryCodesUsed = [false, true] };

        Assert.Equal(1, Codes.Find(factors, "cccccddddd"));
        Assert.True(factors.IsUsed(1));
        Assert.Equal(1, factors.RecoveryCodesLeft);
    }

    [Fact]
    public void Find_HashesCopiedToAnotherUserOrSet_NotFound()
    {
        var factors = WithSet("t1", "u1", "s1", "aaaaa-bbbbb");

        Assert.Equal(-1, Codes.Find(factors with { UserId = "u2" }, "aaaaabbbbb"));
        Assert.Equal(-1, Codes.Find(factors with { RecoverySetId = "s2" }, "aaaaabbbbb"));
    }
}
