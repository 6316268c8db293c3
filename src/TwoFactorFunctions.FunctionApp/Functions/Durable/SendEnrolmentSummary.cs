using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.FunctionApp.Durable;
using TwoFactorFunctions.Workflows.Enrolment;

namespace TwoFactorFunctions.FunctionApp.Functions.Durable;

/// <summary>The <see cref="Workflows.Enrolment.SendEnrolmentSummary"/> activity under the Durable extension.</summary>
public sealed class SendEnrolmentSummaryFunction(SendEnrolmentSummary activity)
{
    [Function(nameof(SendEnrolmentSummary))]
    public Task<SummaryReport> Run([ActivityTrigger] SummaryWork input, FunctionContext context) =>
        activity.RunAsync(new FunctionActivityContext(nameof(SendEnrolmentSummary), context), input);
}
