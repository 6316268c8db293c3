namespace TwoFactorFunctions.Benchmarks.Reporting;

/// <summary>A goal is judged on the median: one lucky or unlucky run neither meets nor misses it.</summary>
internal sealed record Goal(string Text, Func<double, bool> IsMetBy);

/// <summary>One row of the results table.</summary>
internal sealed record Figure(string Benchmark, string Measure, string Unit, Stats Value, int Decimals = 0, Goal? Goal = null)
{
    public bool? Met => Goal?.IsMetBy(Value.Median);
}

/// <summary>
/// What one benchmark produced: its figures, lines worth reading beside them (sizes, CPU, the operations a raw flow
/// does), and the checks that make the figures trustworthy (every expired row deleted, every run completed).
/// </summary>
internal sealed record BenchmarkOutcome(IReadOnlyList<Figure> Figures, IReadOnlyList<string> Notes, IReadOnlyList<string> FailedChecks);
