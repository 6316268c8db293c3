using System.Globalization;

namespace TwoFactorFunctions.Benchmarks;

/// <summary>The command line: which benchmarks, at which sizes. <c>--smoke</c> picks sizes that finish in minutes.</summary>
internal sealed record BenchmarkOptions
{
    public const string Usage = """
        usage: dotnet run -c Release --project benchmarks/TwoFactorFunctions.Benchmarks -- <all|signin|enrol|cleanup> [options]
          --smoke              small sizes (what CI runs): checks every benchmark works; goals are judged on a full run
          --runs N             runs per figure; each figure is their median with min and max (default 3)
        sign-in:
          --flows N            challenge + verify flows per run (default 2000; smoke 100)
          --concurrency N      flows in flight (default 16)
          --cold-starts N      fresh app processes timed from start to their first sign-in (default 5; smoke 1)
          --app PATH           the app's TwoFactorFunctions.App.dll to run (default: the build output; e.g. a ReadyToRun publish)
        enrolment:
          --users N            company size of each throughput run (default 10000; smoke 1000)
          --peak-users N       company size of each peak working-set run (default 100000; smoke 2000)
          --peak-runs N        peak working-set runs, each in a fresh app process (default 3; smoke 1)
          --skip-peak          no peak working-set runs
          --raw-entities N     entities written for each raw batch-write rate (default 50000; smoke 5000)
          --batch-concurrency N  batch messages in flight in the app and raw transactions in flight (default 16)
          --notice-rate N      notices per second during throughput runs (default 100, an email quota)
        cleanup:
          --live N             rows that must survive (default 1000000; smoke 20000)
          --expired N          rows past their purge time, seeded again for each run (default 100000; smoke 2000)
          --parallelism N      deletes in flight (default 8)
        Every benchmark starts its own in-memory Azurite on free loopback ports (needs `npm ci` in the repository root)
        and runs the app as a separate process where it measures the app.
        """;

    public required string Command { get; init; }
    public bool Smoke { get; init; }
    public int Runs { get; init; } = 3;
    public int Flows { get; init; } = 2000;
    public int Concurrency { get; init; } = 16;
    public int ColdStarts { get; init; } = 5;
    public string? App { get; init; }
    public int Users { get; init; } = 10_000;
    public int PeakUsers { get; init; } = 100_000;
    public int PeakRuns { get; init; } = 3;
    public int RawEntities { get; init; } = 50_000;
    public int BatchConcurrency { get; init; } = 16;
    public int NoticeRate { get; init; } = 100;
    public int Live { get; init; } = 1_000_000;
    public int Expired { get; init; } = 100_000;
    public int Parallelism { get; init; } = 8;

    public bool Includes(string benchmark) => Command == "all" || Command == benchmark;

    public static BenchmarkOptions? Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("all" or "signin" or "enrol" or "cleanup"))
        {
            return null;
        }

        var options = new BenchmarkOptions { Command = args[0] };
        if (args.Contains("--smoke"))
        {
            options = options with { Smoke = true, Flows = 100, ColdStarts = 1, Users = 1000, PeakUsers = 2000, PeakRuns = 1, RawEntities = 5000, Live = 20_000, Expired = 2000 };
        }

        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] == "--smoke")
            {
                continue;
            }

            if (args[i] == "--skip-peak")
            {
                options = options with { PeakRuns = 0 };
                continue;
            }

            if (args[i] == "--app")
            {
                if (i + 1 >= args.Length || !File.Exists(args[i + 1]))
                {
                    return null;
                }

                options = options with { App = Path.GetFullPath(args[++i]) };
                continue;
            }

            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                return null;
            }

            options = args[i++] switch
            {
                "--runs" => options with { Runs = n },
                "--flows" => options with { Flows = n },
                "--concurrency" => options with { Concurrency = n },
                "--cold-starts" => options with { ColdStarts = n },
                "--users" when n >= 2 => options with { Users = n },
                "--peak-users" when n >= 2 => options with { PeakUsers = n },
                "--peak-runs" => options with { PeakRuns = n },
                "--raw-entities" when n >= 100 => options with { RawEntities = n },
                "--batch-concurrency" when n <= 32 => options with { BatchConcurrency = n },
                "--notice-rate" => options with { NoticeRate = n },
                "--live" => options with { Live = n },
                "--expired" => options with { Expired = n },
                "--parallelism" when n <= 64 => options with { Parallelism = n },
                _ => null!,
            };

            if (options is null)
            {
                return null;
            }
        }

        return options;
    }
}
