using System.Text;
using System.Web;
using TwoFactorFunctions.Core.Factors;

namespace TwoFactorFunctions.UnitTests.Factors;

public class TotpCodesTests
{
    /// <summary>RFC 6238 appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".</summary>
    private static readonly byte[] RfcSeed = Encoding.ASCII.GetBytes("12345678901234567890");

    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 10, TimeSpan.Zero);

    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1111111111L, "14050471")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(2000000000L, "69279037")]
    [InlineData(20000000000L, "65353130")]
    public void Compute_Rfc6238Sha1Vectors_EightDigitsMatch(long unixSeconds, string expected) =>
        Assert.Equal(expected, TotpCodes.Compute(RfcSeed, DateTimeOffset.FromUnixTimeSeconds(unixSeconds), digits: 8));

    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(20000000000L, "65353130")]
    public void MatchStep_Rfc6238Sha1Vectors_MatchTheirOwnStep(long unixSeconds, string code)
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(unixSeconds);

        Assert.Equal(unixSeconds / 30, TotpCodes.MatchStep(RfcSeed, code, at, digits: 8));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(1)]
    public void MatchStep_CodeWithinOneStepOfDrift_MatchesThatStep(int offset)
    {
        var secret = TotpCodes.NewSecret();
        var code = TotpCodes.Compute(secret, Now.AddSeconds(30 * offset));

        Assert.Equal(TotpCodes.StepAt(Now) + offset, TotpCodes.MatchStep(secret, code, Now));
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(2)]
    [InlineData(-20)]
    public void MatchStep_CodeTwoOrMoreStepsAway_Null(int offset)
    {
        var secret = TotpCodes.NewSecret();
        var code = TotpCodes.Compute(secret, Now.AddSeconds(30 * offset));

        // A code of a far step can equal the current one by chance (1 in a million); then it is the current code.
        if (code != TotpCodes.Compute(secret, Now) && code != TotpCodes.Compute(secret, Now.AddSeconds(-30)) && code != TotpCodes.Compute(secret, Now.AddSeconds(30)))
        {
            Assert.Null(TotpCodes.MatchStep(secret, code, Now));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    [InlineData("١٢٣٤٥٦")]
    public void MatchStep_MalformedCode_Null(string code) => Assert.Null(TotpCodes.MatchStep(TotpCodes.NewSecret(), code, Now));

    [Fact]
    public void NewSecret_Always_160BitsAndDifferent()
    {
        var a = TotpCodes.NewSecret();
        var b = TotpCodes.NewSecret();

        Assert.Equal(20, a.Length);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Uri_ReadBackByAnApp_GivesTheSecretAndParameters()
    {
        var secret = TotpCodes.NewSecret();

        var uri = new Uri(TotpCodes.Uri("Acme Portal", "mary@example.com", secret));
        var query = HttpUtility.ParseQueryString(uri.Query);

        Assert.Equal("otpauth", uri.Scheme);
        Assert.Equal("totp", uri.Host);
        Assert.Equal("/Acme Portal:mary@example.com", Uri.UnescapeDataString(uri.AbsolutePath));
        Assert.Equal(secret, OtpNet.Base32Encoding.ToBytes(query["secret"]));
        Assert.Equal("Acme Portal", query["issuer"]);
        Assert.Equal(("SHA1", "6", "30"), (query["algorithm"], query["digits"], query["period"]));
    }
}
