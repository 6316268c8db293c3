using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.FunctionApp.Durable;
using TwoFactorFunctions.Workflows.Enrolment;

namespace TwoFactorFunctions.FunctionApp.Functions.Durable;

/// <summary>The <see cref="Workflows.Enrolment.ProcessEnrolmentBatch"/> activity under the Durable extension.</summary>
public sealed class ProcessEnrolmentBatchFunction(ProcessEnrolmentBatch activity)
{
    [Function(nameof(ProcessEnrolmentBatch))]
    public Task<BatchOutcome> Run([ActivityTrigger] BatchWork input, FunctionContext context) =>
        activity.RunAsync(new FunctionActivityContext(nameof(ProcessEnrolmentBatch), context), input);
}
