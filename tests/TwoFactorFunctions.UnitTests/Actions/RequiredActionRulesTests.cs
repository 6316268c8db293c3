using TwoFactorFunctions.Core.Actions;
using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.UnitTests.Actions;

public class RequiredActionRulesTests
{
    private static readonly Tenant NoTerms = new() { TenantId = "t1" };
    private static readonly Tenant TermsV2 = NoTerms with { TermsVersion = 2 };
    private static readonly DirectoryUser User = new() { TenantId = "t1", UserId = "u1" };
    private static readonly DirectoryUser NewUser = User with { RequiredActions = RequiredActions.ForTemporaryPassword };
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch.AddDays(1);

    [Fact]
    public void CompletionRefusal_EarlierActionPending_OutOfOrderNamingNext()
    {
        var error = RequiredActionRules.CompletionRefusal(TermsV2, NewUser, RequiredAction.SetRecoveryQuestion, mustBePending: true);

        Assert.Equal("required_action_out_of_order", error?.Code);
        Assert.Equal(RequiredAction.UpdatePassword, error?.Extensions["next"]);
    }

    [Fact]
    public void CompletionRefusal_NotPendingButMustBe_NotPending() =>
        Assert.Equal("required_action_not_pending",
            RequiredActionRules.CompletionRefusal(TermsV2, User with { AcceptedTermsVersion = 2 }, RequiredAction.AcceptTerms, mustBePending: true)?.Code);

    [Fact]
    public void CompletionRefusal_TermsWithoutPublishedTerms_NoTerms() =>
        Assert.Same(RequiredActionRules.NoTerms, RequiredActionRules.CompletionRefusal(NoTerms, User, RequiredAction.AcceptTerms, mustBePending: false));

    [Fact]
    public void CompletionRefusal_PasswordChangeNotPending_AllowedWhenNotRequired() =>
        Assert.Null(RequiredActionRules.CompletionRefusal(NoTerms, User, RequiredAction.UpdatePassword, mustBePending: false));

    [Fact]
    public void CompletionRefusal_FirstPendingAction_Null() =>
        Assert.Null(RequiredActionRules.CompletionRefusal(TermsV2, NewUser, RequiredAction.UpdatePassword, mustBePending: true));

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 }, 60, true)]
    [InlineData(new byte[] { 1, 2, 4 }, 60, false)]
    [InlineData(new byte[] { 1, 2, 3 }, 0, false)]
    [InlineData(new byte[] { 1, 2, 3 }, -1, false)]
    public void AcceptsReceipt_PresentedAndExpiry_OnlyTheUnexpiredStoredOne(byte[] presented, int secondsLeft, bool expected)
    {
        var user = User with { PasswordReceiptHash = [1, 2, 3], PasswordReceiptExpiresAt = Now.AddSeconds(secondsLeft) };

        Assert.Equal(expected, RequiredActionRules.AcceptsReceipt(user, presented, Now));
    }

    [Fact]
    public void AcceptsReceipt_NoReceiptStored_False() =>
        Assert.False(RequiredActionRules.AcceptsReceipt(User, [1, 2, 3], Now));

    [Fact]
    public void TermsRefusal_OtherVersionShown_OutdatedNamingCurrent()
    {
        var error = RequiredActionRules.TermsRefusal(TermsV2, 1);

        Assert.Equal("terms_version_outdated", error?.Code);
        Assert.Equal(2, error?.Extensions["currentVersion"]);
        Assert.Null(RequiredActionRules.TermsRefusal(TermsV2, 2));
    }

    [Theory]
    [InlineData(new RequiredAction[0], false)]
    [InlineData(new[] { (RequiredAction)42 }, false)]
    [InlineData(new[] { RequiredAction.AcceptTerms }, true)]
    public void IsValidForce_Actions_OneOrMoreKnown(RequiredAction[] actions, bool expected) =>
        Assert.Equal(expected, RequiredActionRules.IsValidForce(actions));

    [Fact]
    public void IsValidForce_Null_False() => Assert.False(RequiredActionRules.IsValidForce(null));

    [Fact]
    public void Force_FlagsAndTerms_FlagsMergedInOrderAndTermsForgotten()
    {
        var user = User with { RequiredActions = [RequiredAction.SetRecoveryQuestion], AcceptedTermsVersion = 2 };

        var forced = RequiredActionRules.Force(user, [RequiredAction.AcceptTerms, RequiredAction.SetRecoveryQuestion, RequiredAction.UpdatePassword]);

        Assert.Equal([RequiredAction.UpdatePassword, RequiredAction.SetRecoveryQuestion], forced.RequiredActions);
        Assert.Null(forced.AcceptedTermsVersion);
        Assert.Equal([RequiredAction.UpdatePassword, RequiredAction.SetRecoveryQuestion, RequiredAction.AcceptTerms],
            RequiredActions.Pending(TermsV2, forced));
    }

    [Fact]
    public void Force_FlagsOnly_AcceptedTermsKept() =>
        Assert.Equal(2, RequiredActionRules.Force(User with { AcceptedTermsVersion = 2 }, [RequiredAction.UpdatePassword]).AcceptedTermsVersion);
}
