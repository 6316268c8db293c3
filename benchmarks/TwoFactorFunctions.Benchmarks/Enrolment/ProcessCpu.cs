using System.Diagnostics;
using System.Text.RegularExpressions;

namespace TwoFactorFunctions.Benchmarks.Enrolment;

/// <summary>CPU time of the benchmark's Azurite (a node process found by its table port), to show who was busy.</summary>
internal static partial class ProcessCpu
{
    public static Process? FindAzurite(string connectionString)
    {
        var port = TablePort().Match(connectionString).Groups[1].Value;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains("azurite.js", StringComparison.Ordinal) && cmdline.Contains($"--tablePort {port}", StringComparison.Ordinal))
                {
                    return Process.GetProcessById(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
            }
        }

        return null;
    }

    public static TimeSpan Of(Process? process)
    {
        if (process is null)
        {
            return TimeSpan.Zero;
        }

        process.Refresh();
        return process.TotalProcessorTime;
    }

    [GeneratedRegex(@"TableEndpoint=http://127\.0\.0\.1:(\d+)/")]
    private static partial Regex TablePort();
}
