using TwoFactorFunctions.Infrastructure.Communication;
using TwoFactorFunctions.Tests.Contracts;

namespace TwoFactorFunctions.UnitTests.Communication;

public class AcsConnectionStringTests
{
    [Fact]
    public void Parse_PortalFormat_ReadsEndpointAndDecodedKey()
    {
        var cs = AcsConnectionString.Parse($"endpoint=https://contoso.communication.azure.com/;accesskey={AcsHmacVectors.AccessKey}");

        Assert.Equal(new Uri("https://contoso.communication.azure.com/"), cs.Endpoint);
        Assert.Equal(Convert.FromBase64String(AcsHmacVectors.AccessKey), cs.Key);
    }

    [Fact]
    public void Parse_MixedCaseNamesAndSpaces_Accepted()
    {
        var cs = AcsConnectionString.Parse($" Endpoint = http://127.0.0.1:5000 ; AccessKey={AcsHmacVectors.AccessKey} ;");

        Assert.Equal(5000, cs.Endpoint.Port);
    }

    [Theory]
    [InlineData("endpoint=https://contoso.communication.azure.com/")]
    [InlineData("accesskey=c2VjcmV0")]
    [InlineData("endpoint=not a url;accesskey=c2VjcmV0")]
    [InlineData("endpoint=https://contoso.communication.azure.com/;accesskey=not*base64!")]
    public void Parse_Incomplete_ThrowsFormatExceptionWithoutTheKey(string value)
    {
        var ex = Assert.Throws<FormatException>(() => AcsConnectionString.Parse(value));

        Assert.DoesNotContain("c2VjcmV0", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not*base64", ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.InnerException);
    }

    [Fact]
    public void ToString_Always_HidesTheKey()
    {
        var cs = AcsConnectionString.Parse($"endpoint=https://contoso.communication.azure.com/;accesskey={AcsHmacVectors.AccessKey}");

        Assert.DoesNotContain(AcsHmacVectors.AccessKey, cs.ToString(), StringComparison.Ordinal);
        Assert.Contains("contoso.communication.azure.com", cs.ToString(), StringComparison.Ordinal);
    }
}
