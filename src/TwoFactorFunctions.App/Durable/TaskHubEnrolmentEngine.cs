using DurableTask.Core;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask.Converters;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.Workflows.Enrolment;

namespace TwoFactorFunctions.App.Durable;

/// <summary>Starts and reads runs' orchestrations through the Durable Task Framework's client.</summary>
public sealed class TaskHubEnrolmentEngine(DurableTaskEngine engine, EnrolmentOptions options) : IEnrolmentEngine
{
    /// <summary>Every status: a run's instance is created once and never restarted, whatever became of it.</summary>
    private static readonly OrchestrationStatus[] AnyStatus = Enum.GetValues<OrchestrationStatus>();

    public async Task StartAsync(EnrolmentRun run, CancellationToken cancellationToken)
    {
        try
        {
            await engine.Client.CreateOrchestrationInstanceAsync(EnrolmentWorkflow.Orchestrator, string.Empty,
                EnrolmentWorkflow.InstanceId(run.TenantId, run.RunId), EnrolmentWorkflow.Start(run, options.Plan()), null, AnyStatus)
                .WaitAsync(cancellationToken);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            // Started before (a retried request, or a kick racing the first start): nothing to do.
        }
    }

    public async Task<EnrolmentRunState?> GetStateAsync(string tenantId, string runId, CancellationToken cancellationToken)
    {
        var state = await engine.Client.GetOrchestrationStateAsync(EnrolmentWorkflow.InstanceId(tenantId, runId)).WaitAsync(cancellationToken);
        if (state is null)
        {
            return null;
        }

        var status = state.OrchestrationStatus switch
        {
            OrchestrationStatus.Pending => RunStatus.Pending,
            OrchestrationStatus.Completed => RunStatus.Completed,
            OrchestrationStatus.Failed or OrchestrationStatus.Terminated or OrchestrationStatus.Canceled => RunStatus.Failed,
            _ => RunStatus.Running,
        };
        var progress = string.IsNullOrEmpty(state.Status) ? null : JsonDataConverter.Default.Deserialize<EnrolmentProgress>(state.Status);
        return EnrolmentRunState.Of(status, new DateTimeOffset(state.CreatedTime, TimeSpan.Zero), new DateTimeOffset(state.LastUpdatedTime, TimeSpan.Zero),
            progress);
    }
}
