using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.Core.Factors;

namespace TwoFactorFunctions.UnitTests.Factors;

public class FactorPolicyTests
{
    private static readonly FactorPolicy AppOnly = new() { Allowed = [Factor.Authenticator, Factor.RecoveryCode], Preferred = Factor.Authenticator };

    [Fact]
    public void Validate_Default_Valid() => Assert.Null(FactorPolicy.Default.Validate());

    [Fact]
    public void Validate_PreferredNotAllowed_Invalid() =>
        Assert.Equal("invalid_factor_policy", (FactorPolicy.Default with { Allowed = [Factor.Code], Preferred = Factor.Authenticator }).Validate()?.Code);

    [Fact]
    public void Validate_RecoveryCodeWithoutAuthenticator_Invalid() =>
        Assert.NotNull((FactorPolicy.Default with { Allowed = [Factor.Code, Factor.RecoveryCode] }).Validate());

    [Fact]
    public void Validate_EmptyOrUndefined_Invalid()
    {
        Assert.NotNull((FactorPolicy.Default with { Allowed = [] }).Validate());
        Assert.NotNull((FactorPolicy.Default with { Allowed = [(Factor)7] }).Validate());
    }

    [Fact]
    public void IsWeakerThan_AllowingCodeAgain_True() => Assert.True(FactorPolicy.Default.IsWeakerThan(AppOnly));

    [Fact]
    public void IsWeakerThan_DroppingCode_False() => Assert.False(AppOnly.IsWeakerThan(FactorPolicy.Default));

    [Fact]
    public void IsWeakerThan_NoLongerRequiredForAdmins_True() =>
        Assert.True(FactorPolicy.Default.IsWeakerThan(FactorPolicy.Default with { AuthenticatorRequiredForAdmins = true }));

    [Fact]
    public void IsWeakerThan_NoLongerPhishingResistantForAdmins_True() =>
        Assert.True(FactorPolicy.Default.IsWeakerThan(FactorPolicy.Default with { PhishingResistantRequiredForAdmins = true }));

    [Fact]
    public void Validate_PhishingResistantRequiredWithoutPasskeys_Invalid() =>
        Assert.Equal("invalid_factor_policy",
            (FactorPolicy.Default with { Allowed = [Factor.Code, Factor.Authenticator], PhishingResistantRequiredForAdmins = true }).Validate()?.Code);

    [Fact]
    public void Validate_PasskeyPreferred_Valid() => Assert.Null((FactorPolicy.Default with { Preferred = Factor.Passkey }).Validate());

    [Fact]
    public void IsWeakerThan_PreferenceOnly_False() =>
        Assert.False((FactorPolicy.Default with { Preferred = Factor.Authenticator }).IsWeakerThan(FactorPolicy.Default));

    [Fact]
    public void IsWeakening_TenantFactorPolicyWeakened_True()
    {
        var before = new Tenant { TenantId = "t1", TwoFactorEnabled = true, FactorPolicy = AppOnly };

        Assert.True(SettingsRules.IsWeakening(before, before with { FactorPolicy = FactorPolicy.Default }));
        Assert.False(SettingsRules.IsWeakening(before with { FactorPolicy = FactorPolicy.Default }, before));
    }
}
