using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.Workflows.Enrolment;

namespace TwoFactorFunctions.FunctionApp.Functions.Durable;

/// <summary>The enrolment orchestration (<see cref="Workflows.Enrolment.EnrolmentOrchestrator"/>) under the Durable extension.</summary>
public static class EnrolmentOrchestratorFunction
{
    [Function(EnrolmentWorkflow.Orchestrator)]
    public static Task<EnrolmentProgress> Run([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new EnrolmentOrchestrator().RunAsync(context, context.GetInput<EnrolmentState>()!);
    }
}
