using System.Globalization;
using System.Text;

namespace TwoFactorFunctions.Benchmarks.Reporting;

/// <summary>Prints every benchmark's figures as one Markdown table, so a run can be pasted into an issue as is.</summary>
internal static class ResultsTable
{
    private static readonly string[] Head = ["benchmark", "measure", "median (min – max)", "unit", "runs", "goal", "met"];

    public static string Render(IEnumerable<BenchmarkOutcome> outcomes, bool smoke)
    {
        var list = outcomes.ToList();
        var rows = list.SelectMany(o => o.Figures).Select(f => new[]
        {
            f.Benchmark, f.Measure, f.Value.Format(f.Decimals), f.Unit, f.Value.Runs.ToString(CultureInfo.InvariantCulture),
            f.Goal?.Text ?? "", f.Met switch { true => "yes", false => smoke ? "no (smoke size)" : "NO", null => "" },
        }).ToList();

        var widths = Head.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"{(smoke ? "Smoke run (small sizes: checks the benchmarks work; the goals are judged on a full run)" : "Full run")} on {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}"));
        text.AppendLine();
        text.AppendLine(Line(Head, widths));
        text.AppendLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (var row in rows)
        {
            text.AppendLine(Line(row, widths));
        }

        foreach (var note in list.SelectMany(o => o.Notes))
        {
            text.AppendLine().Append("- ").Append(note);
        }

        foreach (var failed in list.SelectMany(o => o.FailedChecks))
        {
            text.AppendLine().Append("- CHECK FAILED: ").Append(failed);
        }

        return text.ToString();
    }

    private static string Line(string[] cells, int[] widths) =>
        "| " + string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))) + " |";
}
