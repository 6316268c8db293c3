using TwoFactorFunctions.Benchmarks;
using TwoFactorFunctions.Benchmarks.Cleanup;
using TwoFactorFunctions.Benchmarks.Enrolment;
using TwoFactorFunctions.Benchmarks.Reporting;
using TwoFactorFunctions.Benchmarks.SignIn;

if (BenchmarkOptions.Parse(args) is not { } options)
{
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}

var outcomes = new List<BenchmarkOutcome>();
if (options.Includes("signin"))
{
    outcomes.Add(await SignInBenchmark.RunAsync(options));
}

if (options.Includes("enrol"))
{
    outcomes.Add(await EnrolmentBenchmark.RunAsync(options));
}

if (options.Includes("cleanup"))
{
    outcomes.Add(await CleanupBenchmark.RunAsync(options));
}

Console.WriteLine();
Console.WriteLine(ResultsTable.Render(outcomes, options.Smoke));

// A failed check means the figures cannot be trusted; a missed goal on a full run is a finding to act on. A smoke run
// is too small to judge a goal, so only its checks decide its exit code.
var failed = outcomes.Any(o => o.FailedChecks.Count > 0);
var missed = !options.Smoke && outcomes.SelectMany(o => o.Figures).Any(f => f.Met == false);
return failed ? 1 : missed ? 3 : 0;
