using System.Globalization;

namespace TwoFactorFunctions.Benchmarks.Reporting;

/// <summary>The median of several runs with its spread; a single median hides a noisy machine, min and max show it.</summary>
internal sealed record Stats(double Median, double Min, double Max, int Runs)
{
    public static Stats Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("A figure needs at least one run.", nameof(values));
        }

        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Stats(median, sorted[0], sorted[^1], sorted.Length);
    }

    public string Format(int decimals) => string.Create(CultureInfo.InvariantCulture,
        $"{Number(Median, decimals)} ({Number(Min, decimals)} – {Number(Max, decimals)})");

    private static string Number(double value, int decimals) =>
        value.ToString(decimals == 0 ? "N0" : "F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
