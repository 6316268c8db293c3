using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Enrolment;

namespace TwoFactorFunctions.UnitTests.Enrolment;

public class EnrolmentRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 26, 10, 13, 0, TimeSpan.Zero);

    private static EnrolmentRun Run(RunKind kind, Channel channel = Channel.Email, TwoFactorMode mode = TwoFactorMode.RequiredForAll,
        bool wasEnabled = false, TwoFactorMode previousMode = TwoFactorMode.RequiredForAll, Channel previousChannel = Channel.Email) => new()
    {
        TenantId = "t1",
        RunId = "run1",
        ActorId = "admin",
        Kind = kind,
        Channel = channel,
        Mode = mode,
        WasEnabled = wasEnabled,
        PreviousMode = previousMode,
        PreviousChannel = previousChannel,
    };

    private static DirectoryUser User(bool active = true, string? email = "u1@example.com", string? phone = null, bool enrolled = false,
        string? lastRunId = null) => new()
    {
        TenantId = "t1",
        UserId = "u1",
        Email = email,
        Phone = phone,
        Active = active,
        TwoFactorEnabled = enrolled,
        LastRunId = lastRunId,
        SecurityStamp = "stamp0",
    };

    [Fact]
    public void Decide_InactiveUser_SkippedWithoutWriteOrNotice()
    {
        var d = EnrolmentRules.Decide(Run(RunKind.Enrol), User(active: false), Now);

        Assert.Equal((UserOutcome.Skipped, null, null), (d.Outcome, d.Write, d.Notice));
    }

    [Fact]
    public void Enrol_NewUser_EnrolsWithNewStampAndRunMarker()
    {
        var d = EnrolmentRules.Decide(Run(RunKind.Enrol), User(), Now);

        Assert.Equal(UserOutcome.Successful, d.Outcome);
        Assert.Equal(NoticeType.Enrolled, d.Notice);
        Assert.True(d.Write!.TwoFactorEnabled);
        Assert.Equal(Now, d.Write.EnrolledAt);
        Assert.Equal("run1", d.Write.LastRunId);
        Assert.NotEqual("stamp0", d.Write.SecurityStamp);
    }

    [Fact]
    public void Enrol_AlreadyEnrolledByThisRun_SuccessfulAgainWithoutWrite()
    {
        var d = EnrolmentRules.Decide(Run(RunKind.Enrol), User(enrolled: true, lastRunId: "run1"), Now);

        Assert.Equal((UserOutcome.Successful, null, NoticeType.Enrolled), (d.Outcome, d.Write, d.Notice));
    }

    [Fact]
    public void Enrol_EnrolledBefore_UnchangedButNotified()
    {
        var d = EnrolmentRules.Decide(Run(RunKind.Enrol), User(enrolled: true, lastRunId: "older"), Now);

        Assert.Equal((UserOutcome.Unchanged, null, NoticeType.Enrolled), (d.Outcome, d.Write, d.Notice));
    }

    [Theory]
    [InlineData(Channel.Email, null, "+61412345678")]
    [InlineData(Channel.Sms, "u1@example.com", null)]
    [InlineData(Channel.Voice, "u1@example.com", null)]
    public void Enrol_NoContactForChannel_NotExists(Channel channel, string? email, string? phone)
    {
        var d = EnrolmentRules.Decide(Run(RunKind.Enrol, channel), User(email: email, phone: phone), Now);

        Assert.Equal((UserOutcome.NotExists, null, null), (d.Outcome, d.Write, d.Notice));
    }

    [Fact]
    public void Disable_EnrolledUser_ClearedWithNewStampKeepingEnrolledAt()
    {
        var user = User(enrolled: true) with { EnrolledAt = Now.AddDays(-3) };

        var d = EnrolmentRules.Decide(Run(RunKind.Disable, wasEnabled: true), user, Now);

        Assert.Equal((UserOutcome.Successful, NoticeType.TurnedOff), (d.Outcome, d.Notice));
        Assert.False(d.Write!.TwoFactorEnabled);
        Assert.Equal("run1", d.Write.LastRunId);
        Assert.Equal(Now.AddDays(-3), d.Write.EnrolledAt);
        Assert.NotEqual("stamp0", d.Write.SecurityStamp);
    }

    [Fact]
    public void Disable_NotEnrolledUnderRequiredForAll_HadItSoToldWithoutWrite()
    {
        var d = EnrolmentRules.Decide(Run(RunKind.Disable, wasEnabled: true, previousMode: TwoFactorMode.RequiredForAll), User(), Now);

        Assert.Equal((UserOutcome.Successful, null, NoticeType.TurnedOff), (d.Outcome, d.Write, d.Notice));
    }

    [Fact]
    public void Disable_NotOptedInUnderUserOptIn_Unchanged()
    {
        var d = EnrolmentRules.Decide(Run(RunKind.Disable, wasEnabled: true, previousMode: TwoFactorMode.UserOptIn), User(), Now);

        Assert.Equal((UserOutcome.Unchanged, null, null), (d.Outcome, d.Write, d.Notice));
    }

    [Fact]
    public void Disable_AlreadyClearedByThisRun_SuccessfulWithoutSecondWrite()
    {
        var d = EnrolmentRules.Decide(Run(RunKind.Disable, wasEnabled: true, previousMode: TwoFactorMode.UserOptIn), User(lastRunId: "run1"), Now);

        Assert.Equal((UserOutcome.Successful, null, NoticeType.TurnedOff), (d.Outcome, d.Write, d.Notice));
    }

    [Fact]
    public void ChannelChange_ToSms_UserWithPhoneToldUserWithoutPhoneNotExists()
    {
        var run = Run(RunKind.ChannelChange, Channel.Sms, wasEnabled: true);

        var withPhone = EnrolmentRules.Decide(run, User(phone: "+61412345678"), Now);
        var withoutPhone = EnrolmentRules.Decide(run, User(), Now);

        Assert.Equal((UserOutcome.Successful, null, NoticeType.ChannelChanged), (withPhone.Outcome, withPhone.Write, withPhone.Notice));
        Assert.Equal((UserOutcome.NotExists, null, null), (withoutPhone.Outcome, withoutPhone.Write, withoutPhone.Notice));
    }

    [Fact]
    public void ChannelChange_UserOptInUserWithout2fa_Unchanged()
    {
        var d = EnrolmentRules.Decide(Run(RunKind.ChannelChange, Channel.Sms, TwoFactorMode.UserOptIn, wasEnabled: true), User(phone: "+61412345678"), Now);

        Assert.Equal(UserOutcome.Unchanged, d.Outcome);
        Assert.Null(d.Notice);
    }

    [Fact]
    public void OptInInvite_NotOptedIn_InvitedAndOptedInUnchanged()
    {
        var run = Run(RunKind.OptInInvite, mode: TwoFactorMode.UserOptIn);

        var invited = EnrolmentRules.Decide(run, User(), Now);
        var optedIn = EnrolmentRules.Decide(run, User(enrolled: true), Now);

        Assert.Equal((UserOutcome.Successful, null, NoticeType.OptInInvite), (invited.Outcome, invited.Write, invited.Notice));
        Assert.Equal((UserOutcome.Unchanged, null, null), (optedIn.Outcome, optedIn.Write, optedIn.Notice));
    }
}
