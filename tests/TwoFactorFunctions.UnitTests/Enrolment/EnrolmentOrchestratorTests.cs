using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.Workflows.Enrolment;

namespace TwoFactorFunctions.UnitTests.Enrolment;

/// <summary>
/// The orchestrator's logic on the real Durable Task SDK over an in-memory backend, with its activities replaced by
/// recording fakes: paging and continue-as-new, the bounded fan-out, fan-in, retries, failure accounting, the summary
/// and the notice phase. The real activities against real storage are the functional tests' job.
/// </summary>
public sealed class EnrolmentOrchestratorTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task RunAsync_2500UsersInPagesOf1000_CountsEveryBatchSummarisesOnceAndNotifiesEachBatch()
    {
        var company = new FakeCompany(users: 2500);
        await using var host = await company.StartAsync();

        var (metadata, progress) = await FakeCompany.RunAsync(host, Plan());

        Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        Assert.Equal(EnrolmentPhase.Done, progress.Phase);
        Assert.Equal(new RunCounters(2500, 2500, 0, 0, 0, 0), progress.Counters);
        Assert.Equal((25L, 25L, 2500L), (progress.BatchesPlanned, progress.BatchesCompleted, progress.NoticesQueued));
        Assert.Equal(3, company.Pages.Count); // 1000 + 1000 + 500: one generation each, the next page read ahead
        Assert.Equal(Enumerable.Range(0, 25).Select(b => (long)b), company.Batches.Keys.Order());
        var summary = Assert.Single(company.Summaries);
        Assert.Equal(progress.Counters, summary.Counters);
        Assert.Null(summary.PlanError);
        Assert.Equal(25, company.Notices.Distinct().Count());
        Assert.Single(company.NoticeReports); // once, after the last notice batch
    }

    [Fact]
    public async Task RunAsync_BatchFailsEveryAttempt_CountsItsUsersFailedAlertsAndStillCompletes()
    {
        var company = new FakeCompany(users: 300) { FailingBatch = 1 };
        await using var host = await company.StartAsync();

        var (metadata, progress) = await FakeCompany.RunAsync(host, Plan() with { StepAttempts = 3 });

        Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        Assert.Equal(new RunCounters(300, 200, 0, 0, 0, 100), progress.Counters);
        Assert.Equal(3, company.Batches[1]);
        Assert.Equal(100, Assert.Single(company.Summaries).Counters.Failed);
        Assert.DoesNotContain(1L, company.Notices); // a failed batch recorded no notices
    }

    [Fact]
    public async Task RunAsync_ManyBatches_NeverMoreInFlightThanThePlanAllows()
    {
        var company = new FakeCompany(users: 1000) { BatchDelay = TimeSpan.FromMilliseconds(100) };
        await using var host = await company.StartAsync();

        var (_, progress) = await FakeCompany.RunAsync(host, Plan() with { MaxParallelBatches = 3 });

        Assert.Equal(10, progress.BatchesCompleted);
        Assert.InRange(company.MaxInFlight, 2, 3);
    }

    [Fact]
    public async Task RunAsync_BatchesFinishingOneByOne_CustomStatusCountsClimbDuringTheGeneration()
    {
        var company = new FakeCompany(users: 1000) { BatchDelay = TimeSpan.FromMilliseconds(200) };
        await using var host = await company.StartAsync();
        var run = new EnrolmentRun { TenantId = "acme", RunId = "run2", ActorId = "admin", Kind = RunKind.Enrol, Channel = Channel.Email };
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(EnrolmentWorkflow.Orchestrator,
            EnrolmentWorkflow.Start(run, Plan() with { MaxParallelBatches = 2 }));

        var seen = new HashSet<long>();
        var deadline = DateTime.UtcNow + Patience;
        OrchestrationMetadata? metadata;
        while ((metadata = await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true)) is not { RuntimeStatus: OrchestrationRuntimeStatus.Completed })
        {
            Assert.True(DateTime.UtcNow < deadline, "the run did not finish");
            if (metadata?.SerializedCustomStatus is not null)
            {
                seen.Add(metadata.ReadCustomStatusAs<EnrolmentProgress>()!.BatchesCompleted);
            }

            await Task.Delay(20);
        }

        Assert.Contains(seen, completed => completed is > 0 and < 10);
        Assert.Equal(10, metadata.ReadOutputAs<EnrolmentProgress>()!.BatchesCompleted);
    }

    [Fact]
    public async Task RunAsync_NoticeStepAsksToComeBack_WaitsOnATimerAndCallsAgainUntilDone()
    {
        var company = new FakeCompany(users: 200) { NoticeRetriesPerBatch = 2 };
        await using var host = await company.StartAsync();

        var (metadata, progress) = await FakeCompany.RunAsync(host, Plan());

        Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        Assert.Equal(2, progress.NoticeBatchesDone);
        Assert.Equal(6, company.Notices.Count); // two batches, each asked twice to come back
    }

    [Fact]
    public async Task RunAsync_ListingFailsOnTheSecondPage_SummarisesTheListedUsersWithAPlanError()
    {
        var company = new FakeCompany(users: 2500) { FailingPage = 1 };
        await using var host = await company.StartAsync();

        var (metadata, progress) = await FakeCompany.RunAsync(host, Plan() with { StepAttempts = 2 });

        Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        Assert.Equal(1000, progress.Counters.Total);
        Assert.NotNull(Assert.Single(company.Summaries).PlanError);
    }

    [Fact]
    public async Task RunAsync_SummaryKeepsFailing_ClosesTheRunByGivingUpAndCompletes()
    {
        var company = new FakeCompany(users: 100) { SummaryFails = true };
        await using var host = await company.StartAsync();

        var (metadata, _) = await FakeCompany.RunAsync(host, Plan() with { StepAttempts = 2 });

        Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        Assert.True(Assert.Single(company.Summaries).GiveUp);
    }

    private static EnrolmentPlan Plan() => new(PageSize: 1000, BatchSize: 100, MaxParallelBatches: 10, MaxParallelNoticeBatches: 4,
        StepAttempts: 2, StepRetryDelay: TimeSpan.FromMilliseconds(10));

    /// <summary>A company of numbered users and the four activities as fakes that record what they were asked.</summary>
    private sealed class FakeCompany(int users)
    {
        private int _inFlight;
        private int _maxInFlight;

        public long? FailingBatch { get; init; }

        public int? FailingPage { get; init; }

        public bool SummaryFails { get; init; }

        public int NoticeRetriesPerBatch { get; init; }

        public TimeSpan BatchDelay { get; init; }

        public ConcurrentQueue<PageRequest> Pages { get; } = new();

        /// <summary>Attempts per batch number.</summary>
        public ConcurrentDictionary<long, int> Batches { get; } = new();

        public ConcurrentQueue<long> Notices { get; } = new();

        /// <summary>The summary calls that got through (a failing one is not recorded).</summary>
        public ConcurrentQueue<SummaryWork> Summaries { get; } = new();

        /// <summary>The notice-report calls (after the notice phase).</summary>
        public ConcurrentQueue<NoticeReportWork> NoticeReports { get; } = new();

        public int MaxInFlight => Volatile.Read(ref _maxInFlight);

        private string[] Keys { get; } = Enumerable.Range(0, users).Select(i => $"u{i:D6}").ToArray();

        public Task<DurableTaskTestHost> StartAsync() => DurableTaskTestHost.StartAsync(registry =>
        {
            registry.AddOrchestrator<EnrolmentOrchestrator>();
            registry.AddActivityFunc<PageRequest, PlannedPage>(nameof(ListEnrolmentPage), (_, request) => ListPage(request));
            registry.AddActivityFunc<BatchWork, BatchOutcome>(nameof(ProcessEnrolmentBatch), (_, work) => ProcessAsync(work));
            registry.AddActivityFunc<NoticeWork, NoticeBatchReport>(nameof(SendEnrolmentNotices), (_, work) => Notify(work));
            registry.AddActivityFunc<SummaryWork, SummaryReport>(nameof(SendEnrolmentSummary), (_, work) => Summarise(work));
            registry.AddActivityFunc<NoticeReportWork, SummaryReport>(nameof(SendEnrolmentNoticeReport), (_, work) =>
            {
                NoticeReports.Enqueue(work);
                return new SummaryReport(SummaryState.Completed, DateTimeOffset.UnixEpoch, null, null);
            });
        });

        public static async Task<(OrchestrationMetadata Metadata, EnrolmentProgress Progress)> RunAsync(DurableTaskTestHost host, EnrolmentPlan plan)
        {
            var run = new EnrolmentRun { TenantId = "acme", RunId = "run1", ActorId = "admin", Kind = RunKind.Enrol, Channel = Channel.Email };
            var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(EnrolmentWorkflow.Orchestrator, EnrolmentWorkflow.Start(run, plan));
            using var timeout = new CancellationTokenSource(Patience);
            var metadata = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
            Assert.True(metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed, metadata.FailureDetails?.ToString());
            return (metadata, metadata.ReadOutputAs<EnrolmentProgress>()!);
        }

        private PlannedPage ListPage(PageRequest request)
        {
            Pages.Enqueue(request);
            var start = request.Continuation is null ? 0 : int.Parse(request.Continuation, System.Globalization.CultureInfo.InvariantCulture);
            if (FailingPage is { } failing && start / request.PageSize == failing)
            {
                throw new InvalidOperationException("listing failed");
            }

            var page = Keys.Skip(start).Take(request.PageSize).ToArray();
            var after = request.After;
            var batches = new List<PlannedBatch>();
            foreach (var chunk in page.Chunk(request.BatchSize))
            {
                batches.Add(new PlannedBatch(request.FirstBatch + batches.Count, after, chunk[^1], chunk.Length));
                after = chunk[^1];
            }

            var next = start + page.Length;
            return new PlannedPage(batches, next < Keys.Length ? next.ToString(System.Globalization.CultureInfo.InvariantCulture) : null, after);
        }

        private async Task<BatchOutcome> ProcessAsync(BatchWork work)
        {
            var inFlight = Interlocked.Increment(ref _inFlight);
            try
            {
                int seen;
                while (inFlight > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, inFlight, seen) != seen)
                {
                }

                Batches.AddOrUpdate(work.Batch.Batch, 1, (_, n) => n + 1);
                await Task.Delay(BatchDelay);
                if (work.Batch.Batch == FailingBatch)
                {
                    throw new InvalidOperationException("batch failed");
                }

                return new BatchOutcome(work.Batch.Batch, new RunCounters(work.Batch.Count, work.Batch.Count, 0, 0, 0, 0), work.Batch.Count);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        private NoticeBatchReport Notify(NoticeWork work)
        {
            Notices.Enqueue(work.Batch);
            return Notices.Count(b => b == work.Batch) <= NoticeRetriesPerBatch
                ? new NoticeBatchReport(NoticeBatchState.RetryLater, 0, TimeSpan.FromMilliseconds(50))
                : new NoticeBatchReport(NoticeBatchState.Done, 100, null);
        }

        private SummaryReport Summarise(SummaryWork work)
        {
            if (SummaryFails && !work.GiveUp)
            {
                throw new InvalidOperationException("provider down");
            }

            Summaries.Enqueue(work);
            return new SummaryReport(work.GiveUp ? SummaryState.Failed : SummaryState.Completed, DateTimeOffset.UnixEpoch, null, null);
        }
    }
}
