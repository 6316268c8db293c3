namespace TwoFactorFunctions.Core.Enrolment;

public static class RunStoreExtensions
{
    private const int MaxConcurrencyRetries = 200;

    /// <summary>
    /// Read-decide-write on the run row until it sticks . <paramref name="change"/> sees the freshest run and returns
    /// the run to write, or null for "nothing to do" (then the run as read is returned). Null when the run is gone.
    /// </summary>
    public static async Task<EnrolmentRun?> UpdateAsync(this IEnrolmentRunStore runs, EnrolmentRun run,
        Func<EnrolmentRun, EnrolmentRun?> change, TimeProvider time, CancellationToken cancellationToken)
    {
        EnrolmentRun? current = run;
        for (var attempt = 0; attempt < MaxConcurrencyRetries; attempt++)
        {
            if (current is null || change(current) is not { } next)
            {
                return current;
            }

            next = next with { UpdatedAt = time.GetUtcNow() };
            if (await runs.TryReplaceAsync(next, cancellationToken) is { } version)
            {
                return next with { Version = version };
            }

            await BackOffAsync(attempt, cancellationToken);
            current = await runs.GetAsync(run.TenantId, run.RunId, cancellationToken);
        }

        throw new InvalidOperationException("The run row is too contended to update.");
    }

    /// <summary>
    /// A short random pause after a lost race, so contenders for one row spread out instead of colliding again.
    /// Wall-clock on purpose: this paces I/O, and a test's frozen clock must not stall it.
    /// </summary>
    public static Task BackOffAsync(int attempt, CancellationToken cancellationToken) =>
        attempt == 0
            ? Task.CompletedTask
            : Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, Math.Min(5 + (attempt * 5), 50))), cancellationToken);
}
