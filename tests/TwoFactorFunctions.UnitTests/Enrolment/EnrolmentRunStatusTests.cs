using TwoFactorFunctions.Core.Enrolment;

namespace TwoFactorFunctions.UnitTests.Enrolment;

public sealed class EnrolmentRunStatusTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private static EnrolmentRun Run(RunStatus status = RunStatus.Pending) => new()
    {
        TenantId = "acme",
        RunId = "run1",
        ActorId = "admin",
        Status = status,
        CreatedAt = Created,
        UpdatedAt = Created,
    };

    [Fact]
    public void From_NoOrchestrationYet_PendingWithTheRowsTimes()
    {
        var status = EnrolmentRunStatus.From(Run(), state: null, notices: null);

        Assert.Equal(RunStatus.Pending, status.RuntimeStatus);
        Assert.Null(status.Output);
        Assert.Equal((Created, Created), (status.CreatedTime, status.LastUpdatedTime));
    }

    [Fact]
    public void From_RunningOrchestration_LiveCountersFromItsCustomStatus()
    {
        var progress = new EnrolmentProgress(EnrolmentPhase.Enrolling, new RunCounters(300, 250, 20, 10, 15, 5), 10, 3, false, 270, 0, null, null);
        var state = new EnrolmentRunState(RunStatus.Running, Created, Created.AddSeconds(5), progress, null);

        var status = EnrolmentRunStatus.From(Run(), state, new NoticeTotals(0, 0, 0, 0, 270));

        Assert.Equal(RunStatus.Running, status.RuntimeStatus);
        Assert.Equal((300L, 250L, 20L, 10L, 15L, 5L), (status.CustomStatus.TotalUsers, status.CustomStatus.Successful, status.CustomStatus.Unchanged,
            status.CustomStatus.NotExists, status.CustomStatus.Skipped, status.CustomStatus.Failed));
        Assert.Equal((10L, 3L, false, EnrolmentPhase.Enrolling), (status.CustomStatus.BatchesPlanned, status.CustomStatus.BatchesCompleted,
            status.CustomStatus.PlanningComplete, status.CustomStatus.Phase));
        Assert.Equal(Created.AddSeconds(5), status.LastUpdatedTime);
        Assert.Null(status.Output);
    }

    [Fact]
    public void From_FailedOrchestration_OutputCarriesTheGenericErrorOnly()
    {
        var state = new EnrolmentRunState(RunStatus.Failed, Created, Created.AddMinutes(1), null, "The enrolment orchestration failed.");

        var status = EnrolmentRunStatus.From(Run(), state, null);

        Assert.Equal(RunStatus.Failed, status.RuntimeStatus);
        Assert.Equal("The enrolment orchestration failed.", status.Output!.Error);
        Assert.Equal(Created.AddMinutes(1), status.Output.CompletedTime);
    }

    [Fact]
    public void From_HistoryPurgedAfterClose_FinalCountsFromTheRunRow()
    {
        var closed = Run(RunStatus.Completed) with
        {
            Counters = new RunCounters(8, 3, 1, 1, 2, 1),
            BatchesPlanned = 1,
            CompletedAt = Created.AddMinutes(2),
            SummarySentAt = Created.AddMinutes(2),
        };

        var status = EnrolmentRunStatus.From(closed, state: null, notices: null);

        Assert.Equal(RunStatus.Completed, status.RuntimeStatus);
        Assert.Equal((8L, 1L, true), (status.CustomStatus.TotalUsers, status.CustomStatus.Failed, status.CustomStatus.PlanningComplete));
        Assert.Equal(Created.AddMinutes(2), status.Output!.SummarySentAt);
    }

    [Fact]
    public void From_ClosedRunWhoseNoticesPartlyFailed_StatusShowsTheFailuresAndTheAdminsReport()
    {
        var closed = Run(RunStatus.Completed) with
        {
            Counters = new RunCounters(10, 10, 0, 0, 0, 0),
            BatchesPlanned = 1,
            NoticesQueued = 10,
            CompletedAt = Created.AddMinutes(2),
            SummarySentAt = Created.AddMinutes(1),
            NoticeReportSentAt = Created.AddMinutes(3),
        };

        var status = EnrolmentRunStatus.From(closed, state: null, notices: new NoticeTotals(Sent: 8, Skipped: 1, Failed: 1, Resent: 2, Pending: 0));

        var notices = status.CustomStatus.Notices!;
        Assert.Equal(status.CustomStatus.NoticesQueued, notices.Sent + notices.Skipped + notices.Failed + notices.Pending);
        Assert.Equal((1L, 2L), (notices.Failed, notices.Resent));
        Assert.Equal(Created.AddMinutes(3), status.Output!.NoticeReportSentAt);
    }
}
