using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.UnitTests.Factors;

namespace TwoFactorFunctions.UnitTests.Challenges;

/// <summary>The sign-in decision on rows in hand: who is exempt, which factors a challenge offers, what verify re-checks.</summary>
public class SignInRulesTests
{
    private static readonly FactorPolicy AppOnly = new() { Allowed = [Factor.Authenticator, Factor.RecoveryCode], Preferred = Factor.Authenticator };

    [Fact]
    public void Exemption_CompanyTwoFactorOff_TenantTwoFactorDisabled()
    {
        Assert.Equal(NotRequiredReason.TenantTwoFactorDisabled, SignInRules.Exemption(Company() with { TwoFactorEnabled = false }, User()));
    }

    [Fact]
    public void Exemption_OptInCompanyUserNotOptedIn_UserNotEnrolled()
    {
        var company = Company() with { Mode = TwoFactorMode.UserOptIn };

        Assert.Equal(NotRequiredReason.UserNotEnrolled, SignInRules.Exemption(company, User() with { TwoFactorEnabled = false }));
        Assert.Null(SignInRules.Exemption(company, User() with { TwoFactorEnabled = true }));
    }

    [Fact]
    public void Exemption_RequiredForAllUserNeverEnrolled_NoneEveryActiveUserIsChallenged()
    {
        Assert.Null(SignInRules.Exemption(Company() with { Mode = TwoFactorMode.RequiredForAll }, User() with { TwoFactorEnabled = false }));
    }

    [Theory]
    [InlineData(true, false, true)]
    [InlineData(true, true, false)]
    [InlineData(false, false, false)]
    public void MayBeFirstSignIn_SkipSettingAndFirstSignInRecorded_OnlyUnrecordedUnderTheSetting(bool skip, bool recorded, bool expected)
    {
        var user = User() with { FirstSignInAt = recorded ? DateTimeOffset.UnixEpoch : null };

        Assert.Equal(expected, SignInRules.MayBeFirstSignIn(Company() with { SkipFirstSignIn = skip }, user));
    }

    public static TheoryData<string, UserRole, bool, bool, string> Usable => new()
    {
        // policy, role, holds an app, recovery codes left, factors offered
        { "default", UserRole.User, false, false, "Code" },
        { "default", UserRole.User, true, true, "Code,Authenticator,RecoveryCode" },
        { "default", UserRole.User, true, false, "Code,Authenticator" },
        // An admin held to the app answers with it; the mailbox is no way in for them.
        { "admins-app", UserRole.Admin, true, true, "Authenticator,RecoveryCode" },
        { "admins-app", UserRole.User, true, true, "Code,Authenticator,RecoveryCode" },
        // Without an app the code stays, even where the policy forbids it: it is the only way to enrol one.
        { "app-only", UserRole.User, false, false, "Code" },
        { "app-only", UserRole.User, true, true, "Authenticator,RecoveryCode" },
    };

    [Theory]
    [MemberData(nameof(Usable))]
    public void UsableFactors_PolicyRoleAndHeld_FactorsOffered(string policy, UserRole role, bool app, bool codesLeft, string expected)
    {
        var usable = SignInRules.UsableFactors(Company(policy), User() with { Role = role }, Held(app, codesLeft), appAvailable: true);

        Assert.Equal(expected, string.Join(",", usable));
    }

    [Fact]
    public void UsableFactors_NoTotpKeyOnTheDeployment_AppHeldIsNotOffered()
    {
        Assert.Equal([Factor.Code], SignInRules.UsableFactors(Company(), User(), Held(app: true, codesLeft: true), appAvailable: false));
    }

    [Theory]
    [InlineData("app-only", UserRole.User, false, true)]
    [InlineData("app-only", UserRole.User, true, false)]
    [InlineData("admins-app", UserRole.Admin, false, true)]
    [InlineData("admins-app", UserRole.User, false, false)]
    [InlineData("default", UserRole.Admin, false, false)]
    public void NeedsAuthenticator_PolicyRoleAndHeld_OnlyWhenThePolicyWantsAnAppNotHeld(string policy, UserRole role, bool app, bool expected)
    {
        Assert.Equal(expected, SignInRules.NeedsAuthenticator(Company(policy), User() with { Role = role }, Held(app, true), appAvailable: true));
    }

    [Fact]
    public void Offer_NoContactOnTheChannelAndOnlyTheCode_NoContactForChannel()
    {
        var offer = SignInRules.Offer(Company(), User() with { Email = null }, [Factor.Code]);

        Assert.Equal("no_contact_for_channel", offer.Error?.Code);
    }

    [Fact]
    public void Offer_NoContactButAnApp_AppFactorsWithoutTheCode()
    {
        var offer = SignInRules.Offer(Company(), User() with { Email = null }, [Factor.Code, Factor.Authenticator, Factor.RecoveryCode]);

        Assert.Equal([Factor.Authenticator, Factor.RecoveryCode], offer.Value?.Factors);
        Assert.Equal("", offer.Value?.Destination);
        Assert.False(offer.Value?.SendsCodeAtOnce(requested: true));
    }

    [Theory]
    [InlineData(Factor.Code, true, true)]
    [InlineData(Factor.Code, false, false)]
    [InlineData(Factor.Authenticator, true, false)]
    public void Offer_CompanyPreference_CodeSentAtOnceOnlyWhenPreferredAndAsked(Factor preferred, bool asked, bool sent)
    {
        var company = Company() with { FactorPolicy = FactorPolicy.Default with { Preferred = preferred } };

        var offer = SignInRules.Offer(company, User(), [Factor.Code, Factor.Authenticator]).Value!;

        Assert.Equal(preferred, offer.Preferred);
        Assert.Equal("u@acme.test", offer.Destination);
        Assert.Equal(sent, offer.SendsCodeAtOnce(asked));
    }

    [Fact]
    public void Offer_PreferredFactorNotOffered_FirstOffered()
    {
        var company = Company() with { FactorPolicy = FactorPolicy.Default with { Preferred = Factor.Authenticator } };

        Assert.Equal(Factor.Code, SignInRules.Offer(company, User(), [Factor.Code]).Value?.Preferred);
    }

    [Fact]
    public void RefusalAtVerify_UserDeactivatedSinceIssue_UserInactive()
    {
        Assert.Equal("user_inactive", SignInRules.RefusalAtVerify(Company(), User() with { Active = false }, Held(false, false), Factor.Code, true)?.Code);
    }

    [Fact]
    public void RefusalAtVerify_CodeAfterThePolicyDroppedCodesForAnAppHolder_FactorNotAllowed()
    {
        var refusal = SignInRules.RefusalAtVerify(Company("app-only"), User(), Held(app: true, codesLeft: true), Factor.Code, true);

        Assert.Equal("factor_not_allowed", refusal?.Code);
        Assert.Null(SignInRules.RefusalAtVerify(Company("app-only"), User(), Held(app: true, codesLeft: true), Factor.Authenticator, true));
    }

    [Theory]
    [InlineData("app-only", Factor.Code, true)]
    [InlineData("app-only", Factor.Authenticator, false)]
    [InlineData("default", Factor.Code, false)]
    public void IsEnrolmentOnly_CodeUnderAPolicyWithoutCodes_OnlyToEnrolAnApp(string policy, Factor factor, bool expected)
    {
        Assert.Equal(expected, SignInRules.IsEnrolmentOnly(Company(policy), factor));
    }

    public static TheoryData<string, UserRole, bool, string> UsableWithPasskey => new()
    {
        // policy, role, also holds an app, factors offered
        { "default", UserRole.User, false, "Code,Passkey" },
        { "default", UserRole.User, true, "Code,Authenticator,RecoveryCode,Passkey" },
        // The phishing-resistant requirement: an admin with a passkey answers with it and nothing else, app or not.
        { "admins-passkey", UserRole.Admin, true, "Passkey" },
        { "admins-passkey", UserRole.Admin, false, "Passkey" },
        { "admins-passkey", UserRole.User, false, "Code,Passkey" },
        // A policy without codes: the passkey is the way in, no code is kept for enrolling.
        { "app-only-and-passkeys", UserRole.User, false, "Passkey" },
        // Passkeys not allowed: the one held is not offered.
        { "app-only", UserRole.User, false, "Code" },
    };

    [Theory]
    [MemberData(nameof(UsableWithPasskey))]
    public void UsableFactors_PasskeyHeld_OfferedUnlessThePolicyRefusesIt(string policy, UserRole role, bool app, string expected)
    {
        var held = Held(app, codesLeft: true) with { Passkeys = PasskeyRulesTests.Holding(1).Passkeys };

        var usable = SignInRules.UsableFactors(Company(policy), User() with { Role = role }, held, appAvailable: true);

        Assert.Equal(expected, string.Join(",", usable));
    }

    [Theory]
    [InlineData("admins-passkey", UserRole.Admin, false, true)]
    [InlineData("admins-passkey", UserRole.Admin, true, false)]
    [InlineData("admins-passkey", UserRole.User, false, false)]
    [InlineData("default", UserRole.Admin, false, false)]
    public void NeedsPasskey_PolicyRoleAndHeld_OnlyAnAdminHeldToItWithoutOne(string policy, UserRole role, bool passkey, bool expected)
    {
        var held = passkey ? PasskeyRulesTests.Holding(1) : Held(false, false);

        Assert.Equal(expected, SignInRules.NeedsPasskey(Company(policy), User() with { Role = role }, held));
    }

    [Fact]
    public void NeedsAuthenticator_AdminHeldToAppAndPasskeyWithAPasskey_NoAppNeeded()
    {
        var held = PasskeyRulesTests.Holding(1);

        Assert.False(SignInRules.NeedsAuthenticator(Company("admins-passkey"), User() with { Role = UserRole.Admin }, held, appAvailable: true));
    }

    private static Tenant Company(string policy = "default") => new()
    {
        TenantId = "acme",
        TwoFactorEnabled = true,
        Channel = Channel.Email,
        FactorPolicy = policy switch
        {
            "app-only" => AppOnly,
            "app-only-and-passkeys" => AppOnly with { Allowed = [Factor.Authenticator, Factor.RecoveryCode, Factor.Passkey] },
            "admins-app" => FactorPolicy.Default with { AuthenticatorRequiredForAdmins = true },
            "admins-passkey" => FactorPolicy.Default with { PhishingResistantRequiredForAdmins = true, AuthenticatorRequiredForAdmins = true },
            _ => FactorPolicy.Default,
        },
    };

    private static DirectoryUser User() => new() { TenantId = "acme", UserId = "u", Email = "u@acme.test", Active = true };

    private static UserFactors Held(bool app, bool codesLeft) => app
        ? new UserFactors
        {
            TenantId = "acme",
            UserId = "u",
            TotpSecret = [1, 2, 3],
            TotpConfirmedAt = DateTimeOffset.UnixEpoch,
            RecoveryCodeHashes = [[1], [2]],
            RecoveryCodesUsed = codesLeft ? [] : [true, true],
        }
        : new UserFactors { TenantId = "acme", UserId = "u" };
}
