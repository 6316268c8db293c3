using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.FunctionApp.Durable;
using TwoFactorFunctions.Workflows.Enrolment;

namespace TwoFactorFunctions.FunctionApp.Functions.Durable;

/// <summary>The <see cref="Workflows.Enrolment.SendEnrolmentNoticeReport"/> activity under the Durable extension.</summary>
public sealed class SendEnrolmentNoticeReportFunction(SendEnrolmentNoticeReport activity)
{
    [Function(nameof(SendEnrolmentNoticeReport))]
    public Task<SummaryReport> Run([ActivityTrigger] NoticeReportWork input, FunctionContext context) =>
        activity.RunAsync(new FunctionActivityContext(nameof(SendEnrolmentNoticeReport), context), input);
}
