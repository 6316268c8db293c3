using System.Security.Cryptography;
using TwoFactorFunctions.Api.Hosting.Options;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.UnitTests.Options;

namespace TwoFactorFunctions.UnitTests.Factors;

public class TotpSecretProtectorTests
{
    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static TotpSecretProtector Protector(string key, params string[] previous) =>
        new(new TwoFactorOptions { TotpEncryptionKey = key, TotpPreviousEncryptionKeys = previous });

    [Fact]
    public void Open_SealedForSameUser_GivesTheSecret()
    {
        var protector = Protector(NewKey());
        var secret = TotpCodes.NewSecret();

        var sealedSecret = protector.Seal("t1", "u1", secret);

        Assert.Equal(secret, protector.Open("t1", "u1", sealedSecret));
        Assert.False(sealedSecret.AsSpan().IndexOf(secret) >= 0, "the secret must not appear in the sealed form");
    }

    [Theory]
    [InlineData("t2", "u1")]
    [InlineData("t1", "u2")]
    public void Open_SealedForAnotherUser_Null(string tenant, string user)
    {
        var protector = Protector(NewKey());

        Assert.Null(protector.Open(tenant, user, protector.Seal("t1", "u1", TotpCodes.NewSecret())));
    }

    [Fact]
    public void Open_Tampered_Null()
    {
        var protector = Protector(NewKey());
        var sealedSecret = protector.Seal("t1", "u1", TotpCodes.NewSecret());
        sealedSecret[^1] ^= 1;

        Assert.Null(protector.Open("t1", "u1", sealedSecret));
    }

    [Fact]
    public void Open_AfterRotationWithOldKeyKept_OpensAndIsStale()
    {
        var oldKey = NewKey();
        var secret = TotpCodes.NewSecret();
        var sealedSecret = Protector(oldKey).Seal("t1", "u1", secret);

        var rotated = Protector(NewKey(), oldKey);

        Assert.Equal(secret, rotated.Open("t1", "u1", sealedSecret));
        Assert.True(rotated.IsStale(sealedSecret));
        Assert.False(rotated.IsStale(rotated.Seal("t1", "u1", secret)));
    }

    [Fact]
    public void Open_KeyNotConfigured_Null()
    {
        var sealedSecret = Protector(NewKey()).Seal("t1", "u1", TotpCodes.NewSecret());

        Assert.Null(Protector(NewKey()).Open("t1", "u1", sealedSecret));
    }

    [Fact]
    public void Available_NoKey_FalseAndSealThrows()
    {
        var protector = new TotpSecretProtector(new TwoFactorOptions());

        Assert.False(protector.Available);
        Assert.Throws<InvalidOperationException>(() => protector.Seal("t1", "u1", TotpCodes.NewSecret()));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    public void Validate_BadTotpKey_Fails(string key)
    {
        var options = new TwoFactorOptions { CodeHashSecret = NewKey(), TotpEncryptionKey = key };

        Assert.Contains(OptionsFailures.Of(options, new TwoFactorOptionsValidator(), new TwoFactorOptionsRules()), e => e.Contains("TotpEncryptionKey", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NoTotpKey_Passes() =>
        Assert.Empty(OptionsFailures.Of(new TwoFactorOptions { CodeHashSecret = NewKey() }, new TwoFactorOptionsValidator(), new TwoFactorOptionsRules()));
}
