using System.Globalization;
using TwoFactorFunctions.Benchmarks;

// dotnet run -c Release --project benchmarks/TwoFactorFunctions.Benchmarks -- cleanup [--live N] [--expired N] [--smoke]
// dotnet run -c Release --project benchmarks/TwoFactorFunctions.Benchmarks -- signin [--smoke]
if (args.FirstOrDefault() == "signin")
{
    var smoke = args.Contains("--smoke");
    await using var signInAzurite = await AzuriteServer.StartAsync();
    var signIn = await TwoFactorFunctions.Benchmarks.SignIn.SignInBenchmark.RunAsync(
        signInAzurite.ConnectionString, users: smoke ? 200 : 2000, concurrency: 16, runs: smoke ? 1 : 3);
    Console.WriteLine();
    Console.WriteLine(signIn.Table());
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Goal: app rate >= {TwoFactorFunctions.Benchmarks.SignIn.SignInBenchmark.Goal} x raw storage rate: {(signIn.Ratio >= TwoFactorFunctions.Benchmarks.SignIn.SignInBenchmark.Goal ? "met" : "NOT MET")}"));
    return 0;
}

// dotnet run -c Release --project benchmarks/TwoFactorFunctions.Benchmarks -- enrol [--users N] [--peak-users N] (docs/enrolment.md)
if (args is ["enrol", ..])
{
    return await TwoFactorFunctions.Benchmarks.Enrolment.EnrolmentBenchmark.MainAsync(args[1..]);
}

var options = BenchmarkArguments.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("""
        usage: cleanup [--live N] [--expired N] [--parallelism N] [--smoke]
          --live N        rows that must survive (default 1000000), in the same tables, indexed in future hours
          --expired N     rows past their purge time (default 100000)
          --smoke         a scaled-down run for CI: 20000 live, 2000 expired
        Starts its own in-memory Azurite on free loopback ports (needs `npm ci` in the repository root).
        """);
    return 2;
}

await using var azurite = await AzuriteServer.StartAsync();
var result = await CleanupBenchmark.RunAsync(azurite.ConnectionString, options);

Console.WriteLine();
Console.WriteLine(result.Table());
Console.WriteLine();
var ok = result.Report.Deleted == options.Expired && result.Report.ReadPerDeleted <= CleanupBenchmark.Goal && result.LiveLeft == options.Live;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Goal: entities read per entity deleted <= {CleanupBenchmark.Goal}, every expired row deleted, every live row kept: {(ok ? "met" : "NOT MET")}"));
return ok ? 0 : 1;
