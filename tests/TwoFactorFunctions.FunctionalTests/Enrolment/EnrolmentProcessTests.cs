using Azure.Data.Tables;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.FunctionalTests.Infrastructure;
using TwoFactorFunctions.Infrastructure.Storage;
using Xunit.Abstractions;

namespace TwoFactorFunctions.FunctionalTests.Enrolment;

/// <summary>
/// The engine across real app processes: one SIGKILLed in the middle of a run and started again, and two competing
/// for one run. Each test has a private MailDev (thousands of messages) and its own prefix on the shared Azurite.
/// </summary>
[Collection(TestServicesDefinition.Name)]
public sealed class EnrolmentProcessTests(TestServices services, ITestOutputHelper output)
{
    private const string Tenant = "bigco";
    private const string Admin = "admin";

    [Fact]
    public async Task KillMidRun_5000UserCompany_RestartEnrolsEachUserOnceNotifiesNoneTwiceAndSummarisesOnce()
    {
        const int users = 5000;
        using var mailDev = await MailDevProcess.StartNewAsync();
        var (settings, tables, domain) = await PrepareAsync(mailDev, users);
        var store = new TableEnrolmentRunStore(tables);

        string runId;
        EnrolmentRun atKill;
        using (var first = await AppProcess.StartAsync(settings))
        {
            using var client = first.Client();
            runId = await client.StartRunAsync(Tenant, Admin, new { enabled = true });
            atKill = await WaitForAsync(store, runId, r => r.BatchesDone >= 12, TimeSpan.FromSeconds(60));
            first.Kill();
            atKill = (await store.GetAsync(Tenant, runId, default))!;
            output.WriteLine($"Killed pid {first.Id} at {atKill.BatchesDone}/{atKill.BatchesPlanned} batches (planning done: {atKill.PlanningDone}).");
        }

        Assert.False(atKill.IsTerminal);
        Assert.True(atKill.BatchesDone < users / 100, "the kill must land before the last batch is counted");

        using var second = await AppProcess.StartAsync(settings);
        using var client2 = second.Client();
        var status = await client2.WaitForRunAsync(Tenant, Admin, runId, TimeSpan.FromSeconds(150));
        output.WriteLine(System.Text.Json.JsonSerializer.Serialize(status, EnrolmentKit.Json));

        Assert.Equal(RunStatus.Completed, status.RuntimeStatus);
        Assert.Equal(users, status.CustomStatus.TotalUsers);
        Assert.Equal(users, status.CustomStatus.Successful);
        Assert.Equal(0, status.CustomStatus.Failed);
        Assert.Equal(users / 100, status.CustomStatus.BatchesCompleted);
        await AssertEveryUserEnrolledByAsync(tables, runId, users);

        var notices = status.CustomStatus.Notices!;
        Assert.Equal(users, notices.Sent + notices.Uncertain);
        Assert.InRange(notices.Uncertain, 0, 32);
        var mail = await MailAsync(mailDev, domain);
        var perUser = mail.Where(e => e.Subject.Contains("is now on", StringComparison.Ordinal)).GroupBy(e => e.To[0].Address).ToList();
        Assert.All(perUser, g => Assert.Single(g));
        Assert.InRange(perUser.Count, notices.Sent, notices.Sent + notices.Uncertain);
        Assert.Single(mail, e => e.Subject.EndsWith("enrolment", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwoProcesses_OneRun_ShareTheBatchesWithoutDoubleWork()
    {
        const int users = 3000;
        using var mailDev = await MailDevProcess.StartNewAsync();
        var (settings, tables, domain) = await PrepareAsync(mailDev, users);

        using var first = await AppProcess.StartAsync(settings);
        using var second = await AppProcess.StartAsync(settings);
        using var client = first.Client();
        var runId = await client.StartRunAsync(Tenant, Admin, new { enabled = true });
        var status = await client.WaitForRunAsync(Tenant, Admin, runId, TimeSpan.FromSeconds(120));

        Assert.Equal(RunStatus.Completed, status.RuntimeStatus);
        Assert.Equal((users, users, 0L), (status.CustomStatus.TotalUsers, status.CustomStatus.Successful, status.CustomStatus.Failed));
        Assert.Equal(users, status.CustomStatus.Notices!.Sent);
        Assert.Equal(0, status.CustomStatus.Notices.Uncertain);
        await AssertEveryUserEnrolledByAsync(tables, runId, users);

        var counted = CountedBatches(first.Output) + CountedBatches(second.Output);
        output.WriteLine($"Batches counted: first {CountedBatches(first.Output)}, second {CountedBatches(second.Output)}.");
        Assert.Equal(users / 100, counted);
        Assert.True(CountedBatches(first.Output) > 0 && CountedBatches(second.Output) > 0, "both processes should have taken batches");

        await Task.Delay(TimeSpan.FromSeconds(2)); // a duplicate summary or notice would have arrived by now
        var mail = await MailAsync(mailDev, domain);
        var notices = mail.Where(e => e.Subject.Contains("is now on", StringComparison.Ordinal)).ToList();
        Assert.Equal(users, notices.Count);
        Assert.Equal(users, notices.Select(e => e.To[0].Address).Distinct().Count());
        Assert.Single(mail, e => e.Subject.EndsWith("enrolment", StringComparison.Ordinal));
    }

    private async Task<(Dictionary<string, string?> Settings, TableStorage Tables, string Domain)> PrepareAsync(MailDevProcess mailDev, int users)
    {
        var prefix = EnrolmentKit.NewPrefix();
        var domain = $"{prefix}.example";
        var settings = EnrolmentKit.AppSettings(services.StorageConnectionString, prefix, mailDev.SmtpPort, $"security@{domain}");
        settings["Queues:Lease"] = "00:00:10";
        var tables = EnrolmentKit.TablesFor(services.StorageConnectionString, prefix);
        await EnrolmentKit.SeedAsync(tables, Tenant, EnrolmentKit.Company(users, domain));
        return (settings, tables, domain);
    }

    private static async Task<EnrolmentRun> WaitForAsync(TableEnrolmentRunStore store, string runId, Func<EnrolmentRun, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await store.GetAsync(Tenant, runId, default) is { } run && condition(run))
            {
                return run;
            }

            Assert.True(DateTime.UtcNow < deadline, "The run did not get there in time.");
            await Task.Delay(20);
        }
    }

    private static async Task AssertEveryUserEnrolledByAsync(TableStorage tables, string runId, int users)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Tenant}");
        var rows = new List<TableEntity>();
        await foreach (var row in tables.Users.QueryAsync<TableEntity>(filter, select: ["TwoFactorEnabled", "LastRunId"]))
        {
            rows.Add(row);
        }

        Assert.Equal(users, rows.Count);
        Assert.All(rows, r => Assert.True(r.GetBoolean("TwoFactorEnabled") == true && r.GetString("LastRunId") == runId, r.RowKey));

        var batches = TableClient.CreateQueryFilter($"PartitionKey eq {TableEnrolmentRunStore.PartitionKey(Tenant, runId)} and RowKey ge {"b|"} and RowKey lt {"b}"}");
        var tallies = 0L;
        await foreach (var batch in tables.Runs.QueryAsync<TableEntity>(batches, select: ["Total"]))
        {
            tallies += batch.GetInt64("Total") ?? 0;
        }

        Assert.Equal(users, tallies);
    }

    private static async Task<List<MailDevEmail>> MailAsync(MailDevProcess mailDev, string domain) =>
        await EnrolmentKit.MailToDomainAsync(mailDev.Client, domain);

    private static int CountedBatches(string log) =>
        log.Split('\n').Count(l => l.Contains(": batch ", StringComparison.Ordinal) && l.Contains(" counted (", StringComparison.Ordinal));
}
