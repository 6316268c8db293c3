using System.Globalization;

namespace TwoFactorFunctions.Benchmarks;

internal sealed record BenchmarkArguments(int Live, int Expired, int Parallelism)
{
    public static BenchmarkArguments? Parse(string[] args)
    {
        if (args.Length == 0 || args[0] != "cleanup")
        {
            return null;
        }

        int live = 1_000_000, expired = 100_000, parallelism = 8;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--smoke":
                    (live, expired) = (20_000, 2_000);
                    break;
                case "--live" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var l):
                    live = l;
                    i++;
                    break;
                case "--expired" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var e) && e > 0:
                    expired = e;
                    i++;
                    break;
                case "--parallelism" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and <= 64:
                    parallelism = p;
                    i++;
                    break;
                default:
                    return null;
            }
        }

        return new BenchmarkArguments(live, expired, parallelism);
    }
}
