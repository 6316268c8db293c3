using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.FunctionApp.Durable;
using TwoFactorFunctions.Workflows.Enrolment;

namespace TwoFactorFunctions.FunctionApp.Functions.Durable;

/// <summary>The <see cref="Workflows.Enrolment.ListEnrolmentPage"/> activity under the Durable extension.</summary>
public sealed class ListEnrolmentPageFunction(ListEnrolmentPage activity)
{
    [Function(nameof(ListEnrolmentPage))]
    public Task<PlannedPage> Run([ActivityTrigger] PageRequest input, FunctionContext context) =>
        activity.RunAsync(new FunctionActivityContext(nameof(ListEnrolmentPage), context), input);
}
