using TwoFactorFunctions.Api.Hosting;
using TwoFactorFunctions.Api.Hosting.Options;
using TwoFactorFunctions.Infrastructure.Communication;
using TwoFactorFunctions.Tests.Contracts;
using TwoFactorFunctions.UnitTests.Options;

namespace TwoFactorFunctions.UnitTests.Communication;

public class AcsOptionsTests
{
    private static AcsOptions Complete() => new()
    {
        ConnectionString = $"endpoint=https://contoso.communication.azure.com/;accesskey={AcsHmacVectors.AccessKey}",
        EmailSender = "DoNotReply@contoso.example",
        SmsFrom = "+18005550100",
        CallerId = "+18005550100",
        CallbackBaseUri = new Uri("https://tff.example/"),
        CognitiveServicesEndpoint = new Uri("https://tff-ai.cognitiveservices.azure.com/"),
        ImmutableResourceId = "3b8e3c1a-7d4f-4f8e-9a51-2c6d0e9b1f47",
    };

    /// <summary>Every validator the host registers for the section: the attributes' and the rules across settings.</summary>
    private static List<string> Errors(AcsOptions options, bool email, bool phone) => OptionsFailures.Of(options,
        new AcsOptionsValidator(), new AcsOptionsRules(new MessageProviders(email ? EmailProvider.Acs : EmailProvider.Smtp, phone ? PhoneProvider.Acs : PhoneProvider.None)));

    [Fact]
    public void Validate_CompleteForEmailAndPhone_NoErrors()
    {
        Assert.Empty(Errors(Complete(), email: true, phone: true));
    }

    [Fact]
    public void Validate_AcsNotUsed_NothingRequired()
    {
        Assert.Empty(Errors(new AcsOptions(), email: false, phone: false));
    }

    [Fact]
    public void Validate_EmailOnly_PhoneSettingsNotRequired()
    {
        var options = new AcsOptions { Endpoint = new Uri("https://contoso.communication.azure.com/"), EmailSender = "DoNotReply@contoso.example" };

        Assert.Empty(Errors(options, email: true, phone: false));
    }

    [Fact]
    public void Validate_BothConnectionStringAndEndpoint_Refused()
    {
        var options = Complete();
        options.Endpoint = new Uri("https://contoso.communication.azure.com/");

        Assert.Contains(Errors(options, true, true), e => e.Contains("exactly one", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_BadConnectionString_RefusedWithoutEchoingIt()
    {
        var options = Complete();
        options.ConnectionString = "endpoint=https://contoso.communication.azure.com/;accesskey=sekrit!";

        var errors = Errors(options, true, true);

        Assert.Contains(errors, e => e.Contains("Acs:ConnectionString", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("sekrit", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://tff.example/")]
    [InlineData("/relative")]
    public void Validate_CallbackNotPublicHttps_Refused(string callback)
    {
        var options = Complete();
        options.CallbackBaseUri = new Uri(callback, UriKind.RelativeOrAbsolute);

        Assert.Contains(Errors(options, false, true), e => e.Contains("Acs:CallbackBaseUri", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://tff.example", "https://tff.example/api/acs/callbacks")]
    [InlineData("https://tff.example/", "https://tff.example/api/acs/callbacks")]
    [InlineData("https://tff.example/app", "https://tff.example/app/api/acs/callbacks")]
    [InlineData("https://tff.example/app/", "https://tff.example/app/api/acs/callbacks")]
    public void CallbackUri_BaseWithOrWithoutPathAndSlash_PointsAtTheCallbackRoute(string baseUri, string expected)
    {
        var options = Complete();
        options.CallbackBaseUri = new Uri(baseUri);

        Assert.Equal(expected, options.CallbackUri.AbsoluteUri);
    }
}
