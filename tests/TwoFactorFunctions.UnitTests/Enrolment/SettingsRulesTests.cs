using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.Core.Factors;

namespace TwoFactorFunctions.UnitTests.Enrolment;

public class SettingsRulesTests
{
    private static readonly Tenant Off = new() { TenantId = "t1" };
    private static readonly Tenant On = Off with { TwoFactorEnabled = true };

    public static TheoryData<Tenant, Tenant, RunKind?> Changes => new()
    {
        { Off, On, RunKind.Enrol },
        { Off, On with { Mode = TwoFactorMode.UserOptIn }, RunKind.OptInInvite },
        { On, Off, RunKind.Disable },
        { On, On with { Mode = TwoFactorMode.UserOptIn }, RunKind.OptInInvite },
        { On with { Mode = TwoFactorMode.UserOptIn }, On, RunKind.Enrol },
        { On, On with { Channel = Channel.Sms }, RunKind.ChannelChange },
        { On, On with { CodeLifetimeMinutes = 3, DeviceTrustDays = 30, SkipFirstSignIn = true }, null },
        { Off, Off with { Channel = Channel.Sms, Mode = TwoFactorMode.UserOptIn }, null },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void RunKindFor_Change_StartsTheRightRun(Tenant before, Tenant after, RunKind? expected) =>
        Assert.Equal(expected, SettingsRules.RunKindFor(before, after));

    public static TheoryData<Tenant, bool> Weakening => new()
    {
        { Off, true },
        { On with { Mode = TwoFactorMode.UserOptIn }, true },
        { On with { CodeLifetimeMinutes = 10 }, true },
        { On with { DeviceTrustDays = 30 }, true },
        { On with { SkipFirstSignIn = true }, true },
        { On with { CodeLifetimeMinutes = 2, DeviceTrustDays = 1 }, false },
        { On with { Channel = Channel.Voice }, false },
    };

    [Theory]
    [MemberData(nameof(Weakening))]
    public void IsWeakening_FromRequiredForAll_OnlyLoosenings(Tenant after, bool expected) =>
        Assert.Equal(expected, SettingsRules.IsWeakening(On, after));

    private static readonly SettingsChange NoChange = new(null, null, null, null, null, null, null);

    public static TheoryData<SettingsChange, string> InvalidChanges => new()
    {
        { NoChange with { Mode = (TwoFactorMode)42 }, "invalid_mode" },
        { NoChange with { Channel = (Channel)42 }, "invalid_channel" },
        { NoChange with { CodeLifetimeMinutes = Tenant.Limits.MinCodeLifetimeMinutes - 1 }, "invalid_code_lifetime" },
        { NoChange with { CodeLifetimeMinutes = Tenant.Limits.MaxCodeLifetimeMinutes + 1 }, "invalid_code_lifetime" },
        { NoChange with { DeviceTrustDays = -1 }, "invalid_device_trust_days" },
        { NoChange with { DeviceTrustDays = Tenant.Limits.MaxDeviceTrustDays + 1 }, "invalid_device_trust_days" },
    };

    [Theory]
    [MemberData(nameof(InvalidChanges))]
    public void Validate_OutOfRange_InvalidWithItsCode(SettingsChange change, string code)
    {
        var error = SettingsRules.Validate(change, smsAvailable: true, voiceAvailable: true);

        Assert.Equal(ErrorKind.Invalid, error?.Kind);
        Assert.Equal(code, error?.Code);
    }

    [Theory]
    [InlineData(Channel.Sms, false, true)]
    [InlineData(Channel.Voice, true, false)]
    public void Validate_ChannelWithoutProvider_ConflictChannelUnavailable(Channel channel, bool sms, bool voice)
    {
        var error = SettingsRules.Validate(NoChange with { Channel = channel }, sms, voice);

        Assert.Equal(ErrorKind.Conflict, error?.Kind);
        Assert.Equal("channel_unavailable", error?.Code);
    }

    [Fact]
    public void Validate_LimitsAndEmailWithoutProviders_Null() =>
        Assert.Null(SettingsRules.Validate(NoChange with
        {
            Channel = Channel.Email,
            CodeLifetimeMinutes = Tenant.Limits.MaxCodeLifetimeMinutes,
            DeviceTrustDays = 0,
        }, smsAvailable: false, voiceAvailable: false));

    [Fact]
    public void Apply_NullFields_KeepTheTenantsValues()
    {
        var tenant = On with { Channel = Channel.Sms, CodeLifetimeMinutes = 3, DeviceTrustDays = 7, SkipFirstSignIn = true };

        var applied = SettingsRules.Apply(tenant, NoChange with { DeviceTrustDays = 30 });

        Assert.Equal(tenant with { DeviceTrustDays = 30 }, applied);
        Assert.True(SettingsRules.SameSettings(tenant, SettingsRules.Apply(tenant, NoChange)));
        Assert.False(SettingsRules.SameSettings(tenant, applied));
    }

    [Fact]
    public void SameSettings_OnlyBookkeepingDiffers_True() =>
        Assert.True(SettingsRules.SameSettings(On, On with { TrustEpoch = 3, ActiveRunId = "r1", UpdatedAt = DateTimeOffset.UnixEpoch }));

    public static TheoryData<Tenant, bool> DeviceVoiding => new()
    {
        { Off, true },
        { On with { Channel = Channel.Sms }, true },
        { On with { FactorPolicy = FactorPolicy.Default with { Preferred = Factor.Authenticator } }, true },
        { On with { Mode = TwoFactorMode.UserOptIn, CodeLifetimeMinutes = 2, DeviceTrustDays = 30 }, false },
    };

    [Theory]
    [MemberData(nameof(DeviceVoiding))]
    public void VoidsRememberedDevices_Change_OnlySwitchOffChannelOrFactorPolicy(Tenant after, bool expected) =>
        Assert.Equal(expected, SettingsRules.VoidsRememberedDevices(On, after));

    [Fact]
    public void Describe_ChangedFieldsAndNewRun_OldToNewThenRun()
    {
        var after = On with { TwoFactorEnabled = false, DeviceTrustDays = 30, TrustEpoch = 1, LastRunId = "r9" };

        Assert.Equal("enabled: True -> False; deviceTrustDays: 15 -> 30; trustEpoch: 0 -> 1; run r9", SettingsRules.Describe(On, after));
    }

    [Fact]
    public void NewRun_Change_RecordsBeforeAfterAndActor()
    {
        var admin = new DirectoryUser { TenantId = "t1", UserId = "a1", Email = "a1@example.test" };
        var now = DateTimeOffset.UnixEpoch;

        var run = SettingsRules.NewRun(RunKind.ChannelChange, On, On with { Channel = Channel.Sms }, admin, now);

        Assert.Equal((RunKind.ChannelChange, RunStatus.Pending, Channel.Sms, Channel.Email, true, "a1", "a1", now),
            (run.Kind, run.Status, run.Channel, run.PreviousChannel, run.WasEnabled, run.ActorId, run.ActorName, run.CreatedAt));
    }
}
