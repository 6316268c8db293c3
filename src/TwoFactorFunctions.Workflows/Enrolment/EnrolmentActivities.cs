using System.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.Core.Telemetry;

namespace TwoFactorFunctions.Workflows.Enrolment;

// The orchestration's steps. Each runs at least once (a crash or a lost lock re-runs it), so each is idempotent per
// run and batch: the core services they call are written to be repeated. Activities get no cancellation token from
// the Durable runtime; a step cut short by a stopping host is simply run again.

/// <summary>Reads one page of the tenant's user keys and cuts it into batches.</summary>
public sealed class ListEnrolmentPage(EnrolmentBatchWorker worker) : TaskActivity<PageRequest, PlannedPage>
{
    public override Task<PlannedPage> RunAsync(TaskActivityContext context, PageRequest input) =>
        worker.ListPageAsync(input, CancellationToken.None);
}

/// <summary>Enrols (or disables, invites, moves) the users of one batch and records its notices.</summary>
public sealed partial class ProcessEnrolmentBatch(EnrolmentBatchWorker worker, TwoFactorTelemetry telemetry, ILogger<ProcessEnrolmentBatch> logger)
    : TaskActivity<BatchWork, BatchOutcome>
{
    public override async Task<BatchOutcome> RunAsync(TaskActivityContext context, BatchWork input)
    {
        ArgumentNullException.ThrowIfNull(input);

        // A child of the engine's activity span, so a run's trace shows each batch with its size and counts.
        using var span = TwoFactorTelemetry.Source.StartActivity("EnrolmentBatch");
        span?.SetTag("tff.run_id", input.Run.RunId);
        span?.SetTag("tff.batch", input.Batch.Batch);
        BatchOutcome outcome;
        try
        {
            outcome = await worker.ProcessAsync(input, CancellationToken.None);
        }
        catch (Exception ex)
        {
            telemetry.EnrolmentBatchFailed();
            span?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }

        var counters = outcome.Counters;
        span?.SetTag("tff.users", counters.Total);
        telemetry.EnrolmentUsers("successful", counters.Successful);
        telemetry.EnrolmentUsers("unchanged", counters.Unchanged);
        telemetry.EnrolmentUsers("not_exists", counters.NotExists);
        telemetry.EnrolmentUsers("skipped", counters.Skipped);
        telemetry.EnrolmentUsers("failed", counters.Failed);
        LogProcessed(logger, outcome.Batch, input.Run.RunId, counters.Total, outcome.Notices);
        return outcome;
    }

    // Ids and counts only: user ids and contacts never reach the logs.
    [LoggerMessage(Level = LogLevel.Information, Message = "Enrolment batch {Batch} of run {RunId} processed: {Users} users, {Notices} notices")]
    private static partial void LogProcessed(ILogger logger, long batch, string runId, long users, int notices);
}

/// <summary>Sends a batch's notices at the provider's pace, at least once per user (a repeat carries the same id).</summary>
public sealed class SendEnrolmentNotices(NoticeSender sender) : TaskActivity<NoticeWork, NoticeBatchReport>
{
    public override Task<NoticeBatchReport> RunAsync(TaskActivityContext context, NoticeWork input) =>
        sender.SendAsync(input, CancellationToken.None);
}

/// <summary>Sends the admin's summary and the alert exactly once, then closes the run and frees the tenant.</summary>
public sealed class SendEnrolmentSummary(EnrolmentSummarySender sender) : TaskActivity<SummaryWork, SummaryReport>
{
    public override Task<SummaryReport> RunAsync(TaskActivityContext context, SummaryWork input) =>
        sender.SendAsync(input, CancellationToken.None);
}

/// <summary>After the notices: tells the admin, once, how many could not be delivered (nothing when none failed).</summary>
public sealed class SendEnrolmentNoticeReport(EnrolmentSummarySender sender) : TaskActivity<NoticeReportWork, SummaryReport>
{
    public override Task<SummaryReport> RunAsync(TaskActivityContext context, NoticeReportWork input) =>
        sender.SendNoticeReportAsync(input, CancellationToken.None);
}
