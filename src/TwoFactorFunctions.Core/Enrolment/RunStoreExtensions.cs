using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Enrolment;

public static class RunStoreExtensions
{
    /// <summary>
    /// Read-decide-write on the run row until it sticks (see <see cref="Optimistic"/>). <paramref name="change"/> sees the
    /// freshest run and returns the run to write, or null for "nothing to do" (then the run as read is returned). Null
    /// when the run is gone.
    /// </summary>
    public static async Task<EnrolmentRun?> UpdateAsync(this IEnrolmentRunStore runs, EnrolmentRun run,
        Func<EnrolmentRun, EnrolmentRun?> change, TimeProvider time, CancellationToken cancellationToken)
    {
        EnrolmentRun? current = run;
        var lostRace = false;
        var updated = await Optimistic.RetryAsync<EnrolmentRun?>(async () =>
        {
            if (lostRace)
            {
                current = await runs.GetAsync(run.TenantId, run.RunId, cancellationToken);
            }

            if (current is null || change(current) is not { } next)
            {
                return current;
            }

            next = next with { UpdatedAt = time.GetUtcNow() };
            if (await runs.TryReplaceAsync(next, cancellationToken) is { } version)
            {
                return next with { Version = version };
            }

            lostRace = true;
            return Optimistic.LostRace;
        }, cancellationToken);

        // A workflow step: throwing lets the orchestration retry the activity, where a value would hide the lost update.
        return updated.IsSuccess ? updated.Value : throw new InvalidOperationException("The run row is too contended to update.");
    }
}
