using TwoFactorFunctions.Core.Actions;
using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.UnitTests.Actions;

public class RequiredActionsTests
{
    private static readonly Tenant NoTerms = new() { TenantId = "t1" };
    private static readonly Tenant TermsV2 = new() { TenantId = "t1", TermsVersion = 2 };
    private static readonly DirectoryUser User = new() { TenantId = "t1", UserId = "u1" };

    [Fact]
    public void Pending_NewUserWithTemporaryPassword_AllThreeInOrder()
    {
        var user = User with { RequiredActions = [RequiredAction.SetRecoveryQuestion, RequiredAction.UpdatePassword] };

        Assert.Equal([RequiredAction.UpdatePassword, RequiredAction.SetRecoveryQuestion, RequiredAction.AcceptTerms],
            RequiredActions.Pending(TermsV2, user));
    }

    [Fact]
    public void Pending_NoTermsPublished_NoAcceptTerms()
    {
        Assert.Empty(RequiredActions.Pending(NoTerms, User));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(1, true)]
    [InlineData(2, false)]
    public void Pending_AcceptedVersion_AcceptTermsUntilCurrentVersionAccepted(int? accepted, bool pending)
    {
        var user = User with { AcceptedTermsVersion = accepted };

        Assert.Equal(pending, RequiredActions.Pending(TermsV2, user).Contains(RequiredAction.AcceptTerms));
    }

    [Fact]
    public void FormatParse_RoundTrip_OrderedDistinctUnknownNamesDropped()
    {
        Assert.Equal("UpdatePassword,SetRecoveryQuestion",
            RequiredActions.Format([RequiredAction.SetRecoveryQuestion, RequiredAction.UpdatePassword, RequiredAction.UpdatePassword]));
        Assert.Equal([RequiredAction.UpdatePassword, RequiredAction.SetRecoveryQuestion],
            RequiredActions.Parse("SetRecoveryQuestion,FutureAction,UpdatePassword,7"));
        Assert.Empty(RequiredActions.Parse(""));
    }
}
