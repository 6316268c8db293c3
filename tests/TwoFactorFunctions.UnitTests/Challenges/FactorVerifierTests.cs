using System.Security.Cryptography;
using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Challenges.Verifiers;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.Core.Security;

namespace TwoFactorFunctions.UnitTests.Challenges;

/// <summary>Each factor's verifier on rows in hand: the format, the match, the spend and the replay, without storage.</summary>
public class FactorVerifierTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-02T08:00:00Z");
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly TotpSecretProtector Protector = new(new TwoFactorOptions { TotpEncryptionKey = Convert.ToBase64String(Key) });

    [Theory]
    [InlineData("12345")]
    [InlineData("12345a")]
    [InlineData("1234567")]
    public void CodeParse_NotSixDigits_InvalidCodeFormat(string answer)
    {
        Assert.Equal("invalid_code_format", new CodeVerifier(new CodeHasher(Key)).Parse(answer).Error?.Code);
    }

    [Fact]
    public void CodePrecondition_NoCodeSentYet_CodeNotSent()
    {
        Assert.Equal("code_not_sent", new CodeVerifier(new CodeHasher(Key)).Precondition(Challenge())?.Code);
    }

    [Fact]
    public void CodeCheck_TheCodeSentAndAnother_OnlyTheSentOneMatchesAndNothingIsSpent()
    {
        var hasher = new CodeHasher(Key);
        var verifier = new CodeVerifier(hasher);
        var code = CodeHasher.NewCode();
        var challenge = Challenge() with { CodeVersion = 1 };
        challenge = challenge with { CodeHash = hasher.Hash(challenge, 1, code) };
        var other = code == "000000" ? "000001" : "000000";

        Assert.Null(verifier.Precondition(challenge));
        Assert.Equal(new FactorMatch(true, null), verifier.CheckNow(challenge, null, code, Now, false).Value);
        Assert.Equal(FactorMatch.NoMatch, verifier.CheckNow(challenge, null, other, Now, false).Value);
    }

    [Fact]
    public void AuthenticatorCheck_CurrentCode_MatchesAndSpendsItsTimeStep()
    {
        var (held, secret) = WithApp();

        var match = new AuthenticatorVerifier(Protector).CheckNow(Challenge(), held, TotpCodes.Compute(secret, Now), Now, false).Value;

        Assert.True(match.Matched);
        Assert.Equal(TotpCodes.StepAt(Now), match.Spend?.TotpLastStep);
    }

    [Fact]
    public void AuthenticatorCheck_TimeStepAlreadyUsed_CodeAlreadyUsedUnlessThisRequestSpentIt()
    {
        var (held, secret) = WithApp();
        held = held with { TotpLastStep = TotpCodes.StepAt(Now) };
        var verifier = new AuthenticatorVerifier(Protector);

        Assert.Equal("code_already_used", verifier.CheckNow(Challenge(), held, TotpCodes.Compute(secret, Now), Now, alreadySpent: false).Error?.Code);
        Assert.Equal(new FactorMatch(true, null), verifier.CheckNow(Challenge(), held, TotpCodes.Compute(secret, Now), Now, alreadySpent: true).Value);
    }

    [Fact]
    public void AuthenticatorCheck_CodeOfAnotherSecret_NoMatch()
    {
        var (held, _) = WithApp();

        var match = new AuthenticatorVerifier(Protector).CheckNow(Challenge(), held, TotpCodes.Compute(TotpCodes.NewSecret(), Now.AddHours(1)), Now, false);

        Assert.False(match.Value.Matched);
    }

    [Fact]
    public void AuthenticatorCheck_NoAppEnrolled_AuthenticatorNotEnrolled()
    {
        var held = new UserFactors { TenantId = "acme", UserId = "u" };

        Assert.Equal("authenticator_not_enrolled", new AuthenticatorVerifier(Protector).CheckNow(Challenge(), held, "123456", Now, false).Error?.Code);
    }

    [Fact]
    public void AuthenticatorCheck_NoTotpKeyOnTheDeployment_AuthenticatorUnavailable()
    {
        var (held, secret) = WithApp();

        var result = new AuthenticatorVerifier(new TotpSecretProtector(new TwoFactorOptions())).CheckNow(Challenge(), held, TotpCodes.Compute(secret, Now), Now, false);

        Assert.Equal("authenticator_unavailable", result.Error?.Code);
    }

    [Fact]
    public void AuthenticatorCheck_SecretSealedUnderAPreviousKey_SpendResealsItUnderTheCurrentKey()
    {
        var oldKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var secret = TotpCodes.NewSecret();
        var held = App(new TotpSecretProtector(new TwoFactorOptions { TotpEncryptionKey = oldKey }).Seal("acme", "u", secret));
        var rotated = new TotpSecretProtector(new TwoFactorOptions { TotpEncryptionKey = Convert.ToBase64String(Key), TotpPreviousEncryptionKeys = [oldKey] });

        var spend = new AuthenticatorVerifier(rotated).CheckNow(Challenge(), held, TotpCodes.Compute(secret, Now), Now, false).Value.Spend!;

        Assert.False(rotated.IsStale(spend.TotpSecret!));
        Assert.Equal(secret, Protector.Open("acme", "u", spend.TotpSecret!));
    }

    [Fact]
    public void RecoveryParse_LowerCaseWithoutDash_Normalised()
    {
        var code = RecoveryCodes.NewCode();

        var parsed = Recovery().Parse(code.Replace("-", "").ToLowerInvariant());

        Assert.Equal(RecoveryCodes.Normalise(code), parsed.Value);
        Assert.Equal("invalid_recovery_code_format", Recovery().Parse("12345").Error?.Code);
    }

    [Fact]
    public void RecoveryCheck_UnusedCode_MatchesAndSpendsOnlyItsSlot()
    {
        var (held, codes) = WithRecoveryCodes(3);

        var match = Recovery().CheckNow(Challenge(), held, RecoveryCodes.Normalise(codes[1])!, Now, false).Value;

        Assert.True(match.Matched);
        Assert.Equal(new[] { false, true, false }, match.Spend?.RecoveryCodesUsed);
    }

    [Fact]
    public void RecoveryCheck_UsedCode_RecoveryCodeAlreadyUsedUnlessThisRequestSpentIt()
    {
        var (held, codes) = WithRecoveryCodes(2);
        held = held with { RecoveryCodesUsed = [true, false] };

        Assert.Equal("recovery_code_already_used", Recovery().CheckNow(Challenge(), held, RecoveryCodes.Normalise(codes[0])!, Now, false).Error?.Code);
        Assert.Equal(new FactorMatch(true, null), Recovery().CheckNow(Challenge(), held, RecoveryCodes.Normalise(codes[0])!, Now, alreadySpent: true).Value);
    }

    [Fact]
    public void RecoveryCheck_CodeNotInTheSet_NoMatch()
    {
        var (held, _) = WithRecoveryCodes(2);

        Assert.Equal(FactorMatch.NoMatch, Recovery().CheckNow(Challenge(), held, RecoveryCodes.Normalise(RecoveryCodes.NewCode())!, Now, false).Value);
    }

    // The notice runs only after a verified challenge (OnVerifiedAsync), which these tests never reach.
    private static RecoveryCodeVerifier Recovery() => new(Protector, new RecoveryCodes(Key), notice: null!);

    private static Challenge Challenge() => new()
    {
        TenantId = "acme",
        ChallengeId = "c1",
        UserId = "u",
        Destination = "u@acme.test",
        Factors = [Factor.Code, Factor.Authenticator, Factor.RecoveryCode],
        CreatedAt = Now,
        ExpiresAt = Now.AddMinutes(5),
    };

    private static UserFactors App(byte[] sealedSecret) =>
        new() { TenantId = "acme", UserId = "u", TotpSecret = sealedSecret, TotpConfirmedAt = Now.AddDays(-1) };

    private static (UserFactors Held, byte[] Secret) WithApp()
    {
        var secret = TotpCodes.NewSecret();
        return (App(Protector.Seal("acme", "u", secret)), secret);
    }

    private static (UserFactors Held, string[] Codes) WithRecoveryCodes(int count)
    {
        var (held, _) = WithApp();
        var codes = Enumerable.Range(0, count).Select(_ => RecoveryCodes.NewCode()).ToArray();
        var recoveries = new RecoveryCodes(Key);
        return (held with
        {
            RecoverySetId = "set1",
            RecoveryCodeHashes = [.. codes.Select(c => (byte[]?)recoveries.Hash("acme", "u", "set1", RecoveryCodes.Normalise(c)!))],
        }, codes);
    }
}

internal static class VerifierChecks
{
    /// <summary>These verifiers need no I/O: their check completes at once.</summary>
    public static Core.Common.Result<FactorMatch> CheckNow(this IFactorVerifier verifier, Challenge challenge, UserFactors? held, string answer, DateTimeOffset now,
        bool alreadySpent)
    {
        var check = verifier.CheckAsync(challenge, held, answer, now, alreadySpent, CancellationToken.None).AsTask();
        Assert.True(check.IsCompleted);
        return check.Result;
    }
}
