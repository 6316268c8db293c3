using TwoFactorFunctions.Api.Hosting.Options;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Infrastructure.Messaging;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.UnitTests.Options;

/// <summary>
/// The options validators the hosts register (source-generated from the DataAnnotations, and the rules across
/// settings): defaults pass, and a bad value gets one message of its own that names the configuration key.
/// </summary>
public class OptionsValidationTests
{
    private static readonly string Key32 = Convert.ToBase64String(new byte[32]);

    private static List<string> TwoFactor(TwoFactorOptions options) =>
        OptionsFailures.Of(options, new TwoFactorOptionsValidator(), new TwoFactorOptionsRules());

    private static List<string> Enrolment(EnrolmentOptions options) =>
        OptionsFailures.Of(options, new EnrolmentOptionsValidator(), new EnrolmentOptionsRules());

    [Fact]
    public void Defaults_EverySection_NoFailures()
    {
        Assert.Empty(TwoFactor(new TwoFactorOptions { CodeHashSecret = Key32 }));
        Assert.Empty(Enrolment(new EnrolmentOptions()));
        Assert.Empty(OptionsFailures.Of(new NoticeOptions(), new NoticeOptionsValidator()));
        Assert.Empty(OptionsFailures.Of(new MessagingOptions(), new MessagingOptionsValidator(), new MessagingOptionsRules()));
        Assert.Empty(OptionsFailures.Of(new SmtpOptions(), new SmtpOptionsValidator()));
        Assert.Empty(OptionsFailures.Of(new StorageOptions(), new StorageOptionsValidator()));
        Assert.Empty(OptionsFailures.Of(new CleanupOptions(), new CleanupOptionsValidator()));
        Assert.Empty(OptionsFailures.Of(
            new FunctionKeyOptions { Keys = [new FunctionKey { Name = "portal", Sha256 = Key32 }] }, new FunctionKeyOptionsValidator(), new FunctionKeyOptionsRules()));
    }

    [Fact]
    public void TwoFactor_ResendAndChallengeLimitsBothWrong_OneMessageEach()
    {
        // These two once shared one message ("resend and challenge limits must be positive").
        var failures = TwoFactor(new TwoFactorOptions { CodeHashSecret = Key32, MaxResendsPerChallenge = 11, MaxChallengesPerWindow = 0 });

        Assert.Equal(2, failures.Count);
        Assert.Single(failures, f => f.Contains("TwoFactor:MaxResendsPerChallenge must be between 0 and 10", StringComparison.Ordinal));
        Assert.Single(failures, f => f.Contains("TwoFactor:MaxChallengesPerWindow must be at least 1", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(nameof(TwoFactorOptions.FailureWindow))]
    [InlineData(nameof(TwoFactorOptions.LockoutDuration))]
    [InlineData(nameof(TwoFactorOptions.ChallengeWindow))]
    [InlineData(nameof(TwoFactorOptions.ChallengeMaxAge))]
    [InlineData(nameof(TwoFactorOptions.StepUpValidity))]
    public void TwoFactor_DurationZero_ItsOwnMessageNamingTheKey(string property)
    {
        var options = new TwoFactorOptions { CodeHashSecret = Key32 };
        typeof(TwoFactorOptions).GetProperty(property)!.SetValue(options, TimeSpan.Zero);

        var failure = Assert.Single(TwoFactor(options));

        Assert.Contains($"TwoFactor:{property} must be positive", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoFactor_SubSecondDuration_Accepted()
    {
        Assert.Empty(TwoFactor(new TwoFactorOptions { CodeHashSecret = Key32, StepUpValidity = TimeSpan.FromMilliseconds(200), ResendCooldown = TimeSpan.Zero }));
    }

    [Theory]
    [InlineData("", "TwoFactor:CodeHashSecret is required")]
    [InlineData("not base64!", "TwoFactor:CodeHashSecret must be a base64 value of at least 32 bytes")]
    [InlineData("AAAA", "TwoFactor:CodeHashSecret must be a base64 value of at least 32 bytes")]
    public void TwoFactor_BadCodeHashSecret_OneMessage(string secret, string expected)
    {
        var failure = Assert.Single(TwoFactor(new TwoFactorOptions { CodeHashSecret = secret }));

        Assert.Contains(expected, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoFactor_DailySendLimitBelowTenMinuteOne_CrossFieldRule()
    {
        var failure = Assert.Single(TwoFactor(new TwoFactorOptions { CodeHashSecret = Key32, MaxSendsPerNumberPer10Minutes = 5, MaxSendsPerNumberPerDay = 4 }));

        Assert.Equal("TwoFactor:MaxSendsPerNumberPerDay must be at least TwoFactor:MaxSendsPerNumberPer10Minutes.", failure);
    }

    [Fact]
    public void TwoFactor_PreviousKeysWithoutCurrentKey_Refused()
    {
        var failure = Assert.Single(TwoFactor(new TwoFactorOptions { CodeHashSecret = Key32, TotpPreviousEncryptionKeys = [Key32] }));

        Assert.Contains("TwoFactor:TotpPreviousEncryptionKeys needs a current TwoFactor:TotpEncryptionKey", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Enrolment_BatchLargerThanPage_RuleOfItsOwn()
    {
        var failure = Assert.Single(Enrolment(new EnrolmentOptions { PageSize = 100, BatchSize = 200 }));

        Assert.Contains("Enrolment:BatchSize must be at most Enrolment:PageSize", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Enrolment_ParallelismAndAttemptsZero_OneMessageEach()
    {
        var failures = Enrolment(new EnrolmentOptions { MaxParallelBatches = 0, MaxParallelNoticeBatches = 0, StepAttempts = 0 });

        Assert.Equal(
            ["Enrolment:MaxParallelBatches", "Enrolment:MaxParallelNoticeBatches", "Enrolment:StepAttempts"],
            failures.Select(f => f[f.IndexOf("Enrolment:", StringComparison.Ordinal)..].Split(' ')[0]).Order());
    }

    [Fact]
    public void Notices_RateZero_Refused()
    {
        var failure = Assert.Single(OptionsFailures.Of(new NoticeOptions { MaxPerSecond = 0 }, new NoticeOptionsValidator()));

        Assert.Contains("Notices:MaxPerSecond must be positive", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Tff")]
    [InlineData("tff1")]
    [InlineData("abcdefghijklmnopqrstu")]
    public void Storage_PrefixNotLowerCaseLetters_Refused(string prefix)
    {
        var failure = Assert.Single(OptionsFailures.Of(new StorageOptions { Prefix = prefix }, new StorageOptionsValidator()));

        Assert.Contains("Storage:Prefix must be 1-20 lower-case letters", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Smtp_HostMissingAndPortOutOfRange_OneMessageEach()
    {
        // Host and port once shared one message.
        var failures = OptionsFailures.Of(new SmtpOptions { Host = " ", Port = 0, FromAddress = "nobody" }, new SmtpOptionsValidator());

        Assert.Equal(3, failures.Count);
        Assert.Contains(failures, f => f.Contains("Smtp:Host", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Smtp:Port must be between 1 and 65535", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Smtp:FromAddress must be an email address", StringComparison.Ordinal));
    }

    [Fact]
    public void Cleanup_IntervalUnderASecond_Refused()
    {
        var failure = Assert.Single(OptionsFailures.Of(new CleanupOptions { Interval = TimeSpan.FromMilliseconds(500) }, new CleanupOptionsValidator()));

        Assert.Contains("Cleanup:Interval must be at least one second", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void FunctionKeys_NoKeys_AndAShortHash_NamedSeparately()
    {
        Assert.Contains("FunctionKeys:Keys must hold at least one key hash",
            Assert.Single(OptionsFailures.Of(new FunctionKeyOptions(), new FunctionKeyOptionsValidator(), new FunctionKeyOptionsRules())), StringComparison.Ordinal);

        var shortHash = new FunctionKeyOptions { Keys = [new FunctionKey { Name = "portal", Sha256 = Convert.ToBase64String(new byte[31]) }] };
        Assert.Contains("key 'portal' needs Sha256",
            Assert.Single(OptionsFailures.Of(shortHash, new FunctionKeyOptionsValidator(), new FunctionKeyOptionsRules())), StringComparison.Ordinal);
    }

    [Fact]
    public void Messaging_RelativeChangeReportUrlAndNoProductName_OneMessageEach()
    {
        var failures = OptionsFailures.Of(new MessagingOptions { ProductName = "", ChangeReportUrl = new Uri("/report", UriKind.Relative) },
            new MessagingOptionsValidator(), new MessagingOptionsRules());

        Assert.Equal(2, failures.Count);
        Assert.Contains(failures, f => f.Contains("Messaging:ProductName is required", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Messaging:ChangeReportUrl must be an absolute http(s) URL", StringComparison.Ordinal));
    }
}
