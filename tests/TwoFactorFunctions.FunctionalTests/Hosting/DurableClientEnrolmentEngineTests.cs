extern alias FunctionApp;

using FunctionApp::TwoFactorFunctions.FunctionApp.Durable;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Testing;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.Workflows.Enrolment;

namespace TwoFactorFunctions.FunctionalTests.Hosting;

/// <summary>
/// The function app's engine (what its HTTP functions build from the <c>[DurableClient]</c> binding) driving a real
/// <c>DurableTaskClient</c>, here the in-memory Durable test backend's, with the real orchestrator and stand-in steps.
/// </summary>
public sealed class DurableClientEnrolmentEngineTests
{
    private static readonly EnrolmentOptions Options = new() { StepRetryDelay = TimeSpan.FromMilliseconds(10) };

    [Fact]
    public async Task StartAsync_Twice_OneInstanceUnderTheRunsIdThatCompletesWithItsProgress()
    {
        var batches = 0;
        await using var host = await DurableTaskTestHost.StartAsync(registry =>
        {
            registry.AddOrchestrator<EnrolmentOrchestrator>();
            registry.AddActivityFunc<PageRequest, PlannedPage>(nameof(ListEnrolmentPage), (_, _) =>
                new PlannedPage([new PlannedBatch(0, null, "u000099", 100)], null, "u000099"));
            registry.AddActivityFunc<BatchWork, BatchOutcome>(nameof(ProcessEnrolmentBatch), (_, work) =>
            {
                Interlocked.Increment(ref batches);
                return new BatchOutcome(work.Batch.Batch, new RunCounters(100, 90, 5, 5, 0, 0), 0);
            });
            registry.AddActivityFunc<NoticeWork, NoticeBatchReport>(nameof(SendEnrolmentNotices), (_, _) => new NoticeBatchReport(NoticeBatchState.Done, 0, null));
            registry.AddActivityFunc<SummaryWork, SummaryReport>(nameof(SendEnrolmentSummary), (_, _) =>
                new SummaryReport(SummaryState.Completed, DateTimeOffset.UnixEpoch, null, null));
        });
        var engine = new DurableClientEnrolmentEngine(host.Client, Options);
        var run = new EnrolmentRun { TenantId = "acme", RunId = "run1", ActorId = "admin", Kind = RunKind.Enrol, Channel = Channel.Email };

        Assert.Null(await engine.GetStateAsync("acme", "run1", CancellationToken.None));
        await engine.StartAsync(run, CancellationToken.None);
        await engine.StartAsync(run, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.Client.WaitForInstanceCompletionAsync(EnrolmentWorkflow.InstanceId("acme", "run1"), timeout.Token);
        var state = await engine.GetStateAsync("acme", "run1", CancellationToken.None);

        Assert.Equal(RunStatus.Completed, state!.Status);
        Assert.Equal(new RunCounters(100, 90, 5, 5, 0, 0), state.Progress!.Counters);
        Assert.Equal(EnrolmentPhase.Done, state.Progress.Phase);
        Assert.Null(state.Error);
        Assert.Equal(1, batches);
        Assert.Null(await engine.GetStateAsync("other-tenant", "run1", CancellationToken.None));
    }
}
