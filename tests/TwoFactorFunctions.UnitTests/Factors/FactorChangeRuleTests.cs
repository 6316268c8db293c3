using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Factors;

namespace TwoFactorFunctions.UnitTests.Factors;

/// <summary>The factor-change rule as a table: operation × factors held × tenant policy → the proof required, or the refusal.</summary>
public class FactorChangeRuleTests
{
    private static readonly FactorPolicy AppOnly = new() { Allowed = [Factor.Authenticator, Factor.RecoveryCode], Preferred = Factor.Authenticator };
    private static readonly FactorPolicy CodeOnly = new() { Allowed = [Factor.Code], Preferred = Factor.Code };
    private static readonly FactorPolicy AppNoRecovery = new() { Allowed = [Factor.Code, Factor.Authenticator], Preferred = Factor.Code };
    private static readonly FactorPolicy NoPasskeys = new() { Allowed = [Factor.Code, Factor.Authenticator, Factor.RecoveryCode], Preferred = Factor.Code };

    public enum Held
    {
        /// <summary>An email on file, nothing else.</summary>
        Contact,

        /// <summary>An email, an app and recovery codes.</summary>
        App,

        /// <summary>An email and an app whose recovery codes are all used.</summary>
        AppNoCodesLeft,

        /// <summary>No contact on the company's channel, no app.</summary>
        Nothing,

        /// <summary>An email and a passkey.</summary>
        Passkey,

        /// <summary>An email, an app with recovery codes, and a passkey.</summary>
        AppAndPasskey,
    }

    public static TheoryData<SensitiveOperation, Held, string, string> Table => new()
    {
        // A user who holds only the contact proves every own change with a code to it.
        { SensitiveOperation.ChangeContact, Held.Contact, "default", "Code" },
        { SensitiveOperation.AddAuthenticator, Held.Contact, "default", "Code" },
        { SensitiveOperation.OptOut, Held.Contact, "default", "Code" },
        { SensitiveOperation.WeakenPolicy, Held.Contact, "default", "Code" },

        // Once an app is held, the mailbox proves nothing: the app (or, for one's own changes, a recovery code).
        { SensitiveOperation.ChangeContact, Held.App, "default", "Authenticator,RecoveryCode" },
        { SensitiveOperation.RemoveAuthenticator, Held.App, "default", "Authenticator,RecoveryCode" },
        { SensitiveOperation.RegenerateRecoveryCodes, Held.App, "default", "Authenticator,RecoveryCode" },
        { SensitiveOperation.OptOut, Held.App, "default", "Authenticator,RecoveryCode" },
        { SensitiveOperation.ChangeContact, Held.AppNoCodesLeft, "default", "Authenticator" },
        { SensitiveOperation.ChangeContact, Held.App, "app-no-recovery", "Authenticator" },

        // An admin's step-up never takes a recovery code.
        { SensitiveOperation.ResetUser, Held.App, "default", "Authenticator" },
        { SensitiveOperation.WeakenPolicy, Held.App, "default", "Authenticator" },

        // Turning 2FA on proves the company's channel itself, app or not.
        { SensitiveOperation.OptIn, Held.App, "default", "Code" },
        { SensitiveOperation.OptIn, Held.Nothing, "default", "no_usable_factor" },

        // A policy without codes: a user without an app may use one to enrol an app, and for nothing else.
        { SensitiveOperation.AddAuthenticator, Held.Contact, "app-only", "Code" },
        { SensitiveOperation.ChangeContact, Held.Contact, "app-only", "authenticator_enrolment_required" },
        { SensitiveOperation.WeakenPolicy, Held.Contact, "app-only", "authenticator_enrolment_required" },
        { SensitiveOperation.ChangeContact, Held.App, "app-only", "Authenticator,RecoveryCode" },

        // A policy that no longer allows apps: the app held is not a factor the tenant accepts; the contact is.
        { SensitiveOperation.ChangeContact, Held.App, "code-only", "Code" },

        // A passkey held is a strong factor like the app: the mailbox proves nothing, the passkey first.
        { SensitiveOperation.AddPasskey, Held.Contact, "default", "Code" },
        { SensitiveOperation.ChangeContact, Held.Passkey, "default", "Passkey" },
        { SensitiveOperation.RemovePasskey, Held.Passkey, "default", "Passkey" },
        { SensitiveOperation.AddAuthenticator, Held.Passkey, "default", "Passkey" },
        { SensitiveOperation.ChangeContact, Held.AppAndPasskey, "default", "Passkey,Authenticator,RecoveryCode" },
        { SensitiveOperation.WeakenPolicy, Held.AppAndPasskey, "default", "Passkey,Authenticator" },
        { SensitiveOperation.AddPasskey, Held.Contact, "app-only", "Code" },
        { SensitiveOperation.ChangeContact, Held.Passkey, "no-passkeys", "Code" },

        // Nothing held: only an admin's reset helps.
        { SensitiveOperation.ChangeContact, Held.Nothing, "default", "no_usable_factor" },
        { SensitiveOperation.AddAuthenticator, Held.Nothing, "app-only", "no_usable_factor" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void ProofFactors_OperationHeldPolicy_ProofOrRefusal(SensitiveOperation operation, Held held, string policy, string expected)
    {
        var (user, factors) = Holding(held);

        var result = FactorChangeRule.ProofFactors(operation, Tenant(policy), user, factors, authenticatorsAvailable: true);

        Assert.Equal(expected, result.IsSuccess ? string.Join(",", result.Value) : result.Error.Code);
    }

    [Fact]
    public void ProofFactors_NoTotpKeyOnTheDeployment_AppHeldDoesNotCount()
    {
        var (user, factors) = Holding(Held.App);

        var result = FactorChangeRule.ProofFactors(SensitiveOperation.ChangeContact, Tenant("default"), user, factors, authenticatorsAvailable: false);

        Assert.Equal([Factor.Code], result.Value);
    }

    [Fact]
    public void ProofFactors_SmsCompanyUserWithEmailOnly_NoUsableFactor()
    {
        var (user, factors) = Holding(Held.Contact);

        var result = FactorChangeRule.ProofFactors(SensitiveOperation.ChangeContact, Tenant("default") with { Channel = Channel.Sms }, user, factors, true);

        Assert.Equal("no_usable_factor", result.Error?.Code);
    }

    [Fact]
    public void OfferedFactors_AppHolderWhoMayOptIn_StrongestFirstCodeLast()
    {
        var (user, factors) = Holding(Held.App);

        var offered = FactorChangeRule.OfferedFactors(FactorChangeRule.SelfOperations, Tenant("default"), user, factors, true);

        Assert.Equal([Factor.Authenticator, Factor.RecoveryCode, Factor.Code], offered.Value);
    }

    [Fact]
    public void OfferedFactors_NothingProvable_FirstRefusal()
    {
        var (user, factors) = Holding(Held.Nothing);

        var offered = FactorChangeRule.OfferedFactors([SensitiveOperation.ChangeContact], Tenant("default"), user, factors, true);

        Assert.Equal("no_usable_factor", offered.Error?.Code);
    }

    [Theory]
    [InlineData(UserRole.Admin, true, true, Held.Contact, "stronger_proof_required")]
    [InlineData(UserRole.Admin, true, true, Held.App, "Authenticator")]
    [InlineData(UserRole.Admin, false, true, Held.Contact, "Code")]
    [InlineData(UserRole.Admin, true, false, Held.Contact, "Code")]
    [InlineData(UserRole.User, true, true, Held.Contact, "Code")]
    public void ResetProofFactors_TargetHeldToTheApp_ActingAdminNeedsTheApp(UserRole targetRole, bool requiredForAdmins, bool targetHasApp, Held adminHolds,
        string expected)
    {
        var tenant = Tenant("default") with { FactorPolicy = FactorPolicy.Default with { AuthenticatorRequiredForAdmins = requiredForAdmins } };
        var (admin, adminFactors) = Holding(adminHolds);
        var (target, targetFactors) = Holding(targetHasApp ? Held.App : Held.Contact);

        var result = FactorChangeRule.ResetProofFactors(tenant, admin with { Role = UserRole.Admin }, adminFactors, target with { UserId = "t", Role = targetRole },
            targetFactors with { UserId = "t" }, true);

        Assert.Equal(expected, result.IsSuccess ? string.Join(",", result.Value) : result.Error.Code);
    }

    [Theory]
    [InlineData(SensitiveOperation.WeakenPolicy, Held.AppAndPasskey, "Passkey")]
    [InlineData(SensitiveOperation.ResetUser, Held.AppAndPasskey, "Passkey")]
    [InlineData(SensitiveOperation.WeakenPolicy, Held.App, "stronger_proof_required")]
    [InlineData(SensitiveOperation.WeakenPolicy, Held.Contact, "stronger_proof_required")]
    [InlineData(SensitiveOperation.ChangeContact, Held.AppAndPasskey, "Passkey,Authenticator,RecoveryCode")]
    public void ProofFactors_AdminHeldToAPhishingResistantFactor_AdminChangesOnlyWithAPasskey(SensitiveOperation operation, Held held, string expected)
    {
        var tenant = Tenant("default") with { FactorPolicy = FactorPolicy.Default with { PhishingResistantRequiredForAdmins = true } };
        var (admin, factors) = Holding(held);

        var result = FactorChangeRule.ProofFactors(operation, tenant, admin with { Role = UserRole.Admin }, factors, authenticatorsAvailable: true);

        Assert.Equal(expected, result.IsSuccess ? string.Join(",", result.Value) : result.Error.Code);
    }

    [Theory]
    [InlineData(Held.App, "stronger_proof_required")]
    [InlineData(Held.AppAndPasskey, "Passkey,Authenticator")]
    public void ResetProofFactors_TargetAdminHeldToAPasskey_ActingAdminNeedsAPasskey(Held adminHolds, string expected)
    {
        var tenant = Tenant("default") with { FactorPolicy = FactorPolicy.Default with { PhishingResistantRequiredForAdmins = true } };
        var (admin, adminFactors) = Holding(adminHolds);
        var (target, targetFactors) = Holding(Held.Passkey);

        // The acting user's own role is left as read (not Admin), so only the target's hold decides the proof here.
        var result = FactorChangeRule.ResetProofFactors(tenant, admin, adminFactors, target with { UserId = "t", Role = UserRole.Admin },
            targetFactors with { UserId = "t" }, true);

        Assert.Equal(expected, result.IsSuccess ? string.Join(",", result.Value) : result.Error.Code);
    }

    private static Tenant Tenant(string policy) => new()
    {
        TenantId = "acme",
        TwoFactorEnabled = true,
        FactorPolicy = policy switch
        {
            "app-only" => AppOnly,
            "code-only" => CodeOnly,
            "app-no-recovery" => AppNoRecovery,
            "no-passkeys" => NoPasskeys,
            _ => FactorPolicy.Default,
        },
    };

    private static (DirectoryUser User, UserFactors Factors) Holding(Held held)
    {
        var user = new DirectoryUser { TenantId = "acme", UserId = "u", Email = held == Held.Nothing ? null : "u@acme.test", HasFactors = held is not (Held.Contact or Held.Nothing) };
        var factors = held is Held.Passkey or Held.AppAndPasskey ? PasskeyRulesTests.Holding(1) : new UserFactors { TenantId = "acme", UserId = "u" };
        if (held is Held.App or Held.AppNoCodesLeft or Held.AppAndPasskey)
        {
            factors = factors with
            {
                TotpSecret = [1, 2, 3],
                TotpConfirmedAt = DateTimeOffset.UnixEpoch,
                RecoveryCodeHashes = [[1], [2]],
                RecoveryCodesUsed = held == Held.AppNoCodesLeft ? [true, true] : [],
            };
        }

        return (user, factors);
    }
}
