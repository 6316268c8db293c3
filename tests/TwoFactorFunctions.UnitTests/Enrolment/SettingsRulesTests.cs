using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Enrolment;

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
        Assert.Equal(expected, TenantSettingsService.RunKindFor(before, after));

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
        Assert.Equal(expected, TenantSettingsService.IsWeakening(On, after));
}
