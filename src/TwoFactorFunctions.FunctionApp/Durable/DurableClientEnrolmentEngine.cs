using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.Workflows.Enrolment;

namespace TwoFactorFunctions.FunctionApp.Durable;

/// <summary>Starts and reads runs' orchestrations through the invocation's Durable client binding.</summary>
public sealed class DurableClientEnrolmentEngine(DurableTaskClient client, EnrolmentOptions options) : IEnrolmentEngine
{
    public async Task StartAsync(EnrolmentRun run, CancellationToken cancellationToken)
    {
        var instanceId = EnrolmentWorkflow.InstanceId(run.TenantId, run.RunId);

        // Once created, a run's instance is never started again (the extension would restart a finished one).
        if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is not null)
        {
            return;
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(EnrolmentWorkflow.Orchestrator, EnrolmentWorkflow.Start(run, options.Plan()),
                new StartOrchestrationOptions(instanceId), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A parallel start may have won the race (the extension refuses a second pending or running instance, in
            // whichever exception its transport uses): the instance existing is all this call promises.
            if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is null)
            {
                throw;
            }
        }
    }

    public async Task<EnrolmentRunState?> GetStateAsync(string tenantId, string runId, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(EnrolmentWorkflow.InstanceId(tenantId, runId), getInputsAndOutputs: true, cancellationToken);
        if (instance is null)
        {
            return null;
        }

        var status = instance.RuntimeStatus switch
        {
            OrchestrationRuntimeStatus.Pending => RunStatus.Pending,
            OrchestrationRuntimeStatus.Completed => RunStatus.Completed,
            OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated => RunStatus.Failed,
            _ => RunStatus.Running,
        };

        return EnrolmentRunState.Of(status, instance.CreatedAt, instance.LastUpdatedAt,
            instance.SerializedCustomStatus is null ? null : instance.ReadCustomStatusAs<EnrolmentProgress>());
    }
}
