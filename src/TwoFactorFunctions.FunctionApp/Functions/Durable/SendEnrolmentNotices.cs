using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.FunctionApp.Durable;
using TwoFactorFunctions.Workflows.Enrolment;

namespace TwoFactorFunctions.FunctionApp.Functions.Durable;

/// <summary>The <see cref="Workflows.Enrolment.SendEnrolmentNotices"/> activity under the Durable extension.</summary>
public sealed class SendEnrolmentNoticesFunction(SendEnrolmentNotices activity)
{
    [Function(nameof(SendEnrolmentNotices))]
    public Task<NoticeBatchReport> Run([ActivityTrigger] NoticeWork input, FunctionContext context) =>
        activity.RunAsync(new FunctionActivityContext(nameof(SendEnrolmentNotices), context), input);
}
