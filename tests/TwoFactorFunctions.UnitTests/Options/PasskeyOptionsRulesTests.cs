using Microsoft.Extensions.Hosting.Internal;
using TwoFactorFunctions.Api.Hosting.Options;
using TwoFactorFunctions.Infrastructure.WebAuthn;

namespace TwoFactorFunctions.UnitTests.Options;

/// <summary>The passkey relying party as checked at start: an RP ID browsers accept and origins they will sign for.</summary>
public class PasskeyOptionsRulesTests
{
    [Fact]
    public void Check_NotConfigured_NoFailuresPasskeysUnavailable()
    {
        var options = new PasskeyOptions();

        Assert.Empty(Failures(options, "Production"));
        Assert.False(options.Configured);
    }

    [Fact]
    public void Check_PortalOnHttps_NoFailures() =>
        Assert.Empty(Failures(new PasskeyOptions { RelyingPartyId = "example.com", Origins = ["https://portal.example.com", "https://example.com"] }, "Production"));

    [Theory]
    [InlineData("127.0.0.1", "https://127.0.0.1", "must be a lower-case host name")]
    [InlineData("Portal.Example.com", "https://portal.example.com", "must be a lower-case host name")]
    [InlineData("portal.example.com", "https://portal.example.com/signin", "must be an origin")]
    [InlineData("portal.example.com", "https://*.example.com", "must be an origin")]
    [InlineData("localhost", "http://localhost:5000", "must be https outside Development")]
    public void Check_BadRelyingPartyOrOrigin_FailureNamesTheSetting(string rpId, string origin, string expected)
    {
        var failure = Assert.Single(Failures(new PasskeyOptions { RelyingPartyId = rpId, Origins = [origin] }, "Production"));

        Assert.Contains("TwoFactor:Passkeys:", failure, StringComparison.Ordinal);
        Assert.Contains(expected, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_HttpLocalhostInDevelopment_NoFailures() =>
        Assert.Empty(Failures(new PasskeyOptions { RelyingPartyId = "localhost", Origins = ["http://localhost:7071"] }, "Development"));

    [Fact]
    public void Check_OriginsWithoutRelyingParty_Failure() =>
        Assert.Contains("needs TwoFactor:Passkeys:RelyingPartyId", Assert.Single(Failures(new PasskeyOptions { Origins = ["https://a.example"] }, "Production")),
            StringComparison.Ordinal);

    [Fact]
    public void Check_RelyingPartyWithoutOrigins_Failure() =>
        Assert.Contains("Origins must list", Assert.Single(Failures(new PasskeyOptions { RelyingPartyId = "example.com" }, "Production")),
            StringComparison.Ordinal);

    private static List<string> Failures(PasskeyOptions options, string environment) =>
        OptionsFailures.Of(options, new PasskeyOptionsRules(new HostingEnvironment { EnvironmentName = environment }));
}
