namespace TwoFactorFunctions.Core.Enrolment;

/// <summary>
/// Keeps enrolment runs from getting stuck between the tenant write and the orchestration: starts a run nobody started,
/// and closes a run as failed when it is superseded or its settings change lost a race.
/// </summary>
/// <remarks>The engine is passed per call: under the Functions host it is the invocation's Durable client binding.</remarks>
public sealed class EnrolmentRunSupervisor(IEnrolmentRunStore runs, EnrolmentOptions options, TimeProvider time)
{
    /// <summary>
    /// The orchestration is started after the tenant write; a crash in between leaves a run with no orchestration.
    /// Whoever looks at such a run starts it again (a start is idempotent), so a run cannot stay unstarted.
    /// </summary>
    public async Task KickIfStalledAsync(EnrolmentRun run, EnrolmentRunState? state, IEnrolmentEngine engine, CancellationToken cancellationToken)
    {
        if (state is null && time.GetUtcNow() - run.UpdatedAt > options.RunStartGrace)
        {
            await engine.StartAsync(run, cancellationToken);
        }
    }

    /// <summary>Marks a run failed with the reason; a run that has already ended stays as it is.</summary>
    public Task<EnrolmentRun?> FailRunAsync(EnrolmentRun run, string reason, CancellationToken cancellationToken) =>
        runs.UpdateAsync(run, r => r.IsTerminal ? null : r with
        {
            Status = RunStatus.Failed,
            FailureReason = reason,
            CompletedAt = time.GetUtcNow(),
        }, time, cancellationToken);
}
