using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Factors;

namespace TwoFactorFunctions.UnitTests.Factors;

public class AuthenticatorRulesTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch.AddDays(1);
    private static readonly Tenant Tenant = new() { TenantId = "t1", TwoFactorEnabled = true };
    private static readonly Tenant CodeOnly = Tenant with { FactorPolicy = FactorPolicy.Default with { Allowed = [Factor.Code] } };
    private static readonly Tenant AppForAdmins = Tenant with { FactorPolicy = FactorPolicy.Default with { AuthenticatorRequiredForAdmins = true } };
    private static readonly DirectoryUser User = new() { TenantId = "t1", UserId = "u1" };
    private static readonly DirectoryUser Admin = User with { Role = UserRole.Admin };
    private static readonly UserFactors None = new() { TenantId = "t1", UserId = "u1" };
    private static readonly UserFactors Pending = None with { PendingTotpSecret = [1], PendingTotpExpiresAt = Now.AddMinutes(5) };
    private static readonly UserFactors Enrolled = None with
    {
        TotpSecret = [1],
        TotpConfirmedAt = Now.AddDays(-1),
        RecoveryCodeHashes = [[1], [2], null],
        RecoveryCodesUsed = [true, false, false],
    };

    [Fact]
    public void EnrolmentRefusal_NoKey_UnavailableBeforePolicy() =>
        Assert.Same(AuthenticatorRules.Unavailable, AuthenticatorRules.EnrolmentRefusal(CodeOnly, appAvailable: false));

    [Fact]
    public void EnrolmentRefusal_PolicyWithoutAuthenticator_NotAllowed() =>
        Assert.Same(AuthenticatorRules.NotAllowed, AuthenticatorRules.EnrolmentRefusal(CodeOnly, appAvailable: true));

    [Fact]
    public void EnrolmentRefusal_DefaultPolicyWithKey_Null() =>
        Assert.Null(AuthenticatorRules.EnrolmentRefusal(Tenant, appAvailable: true));

    [Fact]
    public void RemovalRefusal_NothingHeld_NoAuthenticator() =>
        Assert.Same(AuthenticatorRules.NoAuthenticator, AuthenticatorRules.RemovalRefusal(Tenant, User, None));

    [Fact]
    public void RemovalRefusal_AdminWhoseTenantRequiresApp_RequiredForAdmins() =>
        Assert.Same(AuthenticatorRules.RequiredForAdmins, AuthenticatorRules.RemovalRefusal(AppForAdmins, Admin, Enrolled));

    [Fact]
    public void RemovalRefusal_AdminWithOnlyPendingEnrolment_Null() =>
        Assert.Null(AuthenticatorRules.RemovalRefusal(AppForAdmins, Admin, Pending));

    [Fact]
    public void RemovalRefusal_UserUnderAdminRule_Null() =>
        Assert.Null(AuthenticatorRules.RemovalRefusal(AppForAdmins, User, Enrolled));

    [Fact]
    public void RegenerationRefusal_PolicyWithoutRecoveryCodes_NotAllowedBeforeHolding() =>
        Assert.Same(AuthenticatorRules.NotAllowed, AuthenticatorRules.RegenerationRefusal(CodeOnly, None));

    [Fact]
    public void RegenerationRefusal_OnlyPendingEnrolment_NoAuthenticator() =>
        Assert.Same(AuthenticatorRules.NoAuthenticator, AuthenticatorRules.RegenerationRefusal(Tenant, Pending));

    [Fact]
    public void RegenerationRefusal_Enrolled_Null() =>
        Assert.Null(AuthenticatorRules.RegenerationRefusal(Tenant, Enrolled));

    [Fact]
    public void Status_Enrolled_CodesLeftNoPendingEnrolment()
    {
        var status = AuthenticatorRules.Status(Tenant, Enrolled with { PendingTotpExpiresAt = Now.AddMinutes(5) }, appAvailable: true, Now);

        Assert.Equal((true, Now.AddDays(-1), false, 1, true), (status.AuthenticatorEnrolled, status.AuthenticatorEnrolledAt,
            status.EnrolmentPending, status.RecoveryCodesLeft, status.AuthenticatorAvailable));
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    public void Status_PendingEnrolment_PendingUntilItExpires(int minutesLeft, bool pending)
    {
        var status = AuthenticatorRules.Status(Tenant, Pending with { PendingTotpExpiresAt = Now.AddMinutes(minutesLeft) }, appAvailable: false, Now);

        Assert.Equal((false, pending, false), (status.AuthenticatorEnrolled, status.EnrolmentPending, status.AuthenticatorAvailable));
    }
}
