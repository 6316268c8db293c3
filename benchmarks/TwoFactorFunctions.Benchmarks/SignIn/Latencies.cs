namespace TwoFactorFunctions.Benchmarks.SignIn;

/// <summary>The two calls of a sign-in, timed separately: issuing the challenge and answering it.</summary>
internal sealed record FlowLatencies
{
    public Latencies Create { get; } = new();

    public Latencies Verify { get; } = new();

    /// <summary>Times <paramref name="call"/> into <paramref name="into"/>, or only runs it (warm-up, cold start) when there is none.</summary>
    public static Task<T> TimedAsync<T>(Latencies? into, Func<Task<T>> call) => into is null ? call() : into.TimeAsync(call);
}

/// <summary>The durations of one kind of call in one run, collected from every flow in flight.</summary>
internal sealed class Latencies
{
    private readonly List<double> _milliseconds = [];

    public int Count
    {
        get
        {
            lock (_milliseconds)
            {
                return _milliseconds.Count;
            }
        }
    }

    /// <summary>Runs <paramref name="call"/> and keeps how long it took.</summary>
    public async Task<T> TimeAsync<T>(Func<Task<T>> call)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = await call();
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        lock (_milliseconds)
        {
            _milliseconds.Add(elapsed);
        }

        return result;
    }

    /// <summary>The nearest-rank percentile (<paramref name="p"/> in 0–100) of this run's samples.</summary>
    public double Percentile(double p)
    {
        double[] sorted;
        lock (_milliseconds)
        {
            sorted = [.. _milliseconds.Order()];
        }

        if (sorted.Length == 0)
        {
            throw new InvalidOperationException("No samples.");
        }

        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
