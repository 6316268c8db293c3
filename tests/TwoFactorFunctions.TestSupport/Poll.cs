using System.Diagnostics;

namespace TwoFactorFunctions.TestSupport;

/// <summary>Waiting on a condition with a deadline, instead of sleeping for a time that is too long or too short.</summary>
public static class Poll
{
    /// <exception cref="TimeoutException"><paramref name="condition"/> did not hold within <paramref name="timeout"/>.</exception>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition().ConfigureAwait(false))
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Not within {timeout.TotalSeconds:0} s: {what}");
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }
}
