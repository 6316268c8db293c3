using System.Diagnostics.Metrics;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TwoFactorFunctions.Core.Telemetry;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.FunctionalTests.Hosting;

/// <summary>The cleanup against real Table Storage (Azurite): what it reads, what it deletes, and that it is safe to repeat.</summary>
[Collection(HostingGroup.Name)]
public sealed class ExpiredDataCleanerTests(HostingAzurite azurite) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 10, 8, 40, 0, TimeSpan.Zero));
    private readonly TableStorage _storage = new(new TableServiceClient(azurite.ConnectionString), new StorageOptions { Prefix = HostingAzurite.NewPrefix() });
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private ExpiredDataCleaner Cleaner(int roundSize = 5000) =>
        new(_storage, new CleanupOptions { RoundSize = roundSize }, new TwoFactorTelemetry(_meters.GetRequiredService<IMeterFactory>()), _time,
            NullLogger<ExpiredDataCleaner>.Instance);

    public Task InitializeAsync() => Task.WhenAll(_storage.All.Select(t => t.CreateIfNotExistsAsync()));

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_storage.All.Select(t => t.DeleteAsync()));
        await _meters.DisposeAsync();
    }

    [Fact]
    public async Task RunAsync_ManyLiveFewExpired_ReadsOnlyTheExpiredIndexRows()
    {
        var now = _time.GetUtcNow();
        var random = new Random(42);
        // Live: later this hour, and up to 30 days ahead. Expired: earlier this hour, and up to 60 days back.
        var live = Enumerable.Range(0, 2000).Select(i => Row(i, i % 10 == 0 ? now.AddSeconds(1 + random.Next(1000)) : now.AddMinutes(20 + random.Next(43_000)))).ToList();
        var expired = Enumerable.Range(2000, 200).Select(i => Row(i, i % 10 == 0 ? now.AddSeconds(-1 - random.Next(2000)) : now.AddMinutes(-1 - random.Next(86_000)))).ToList();
        await SeedAsync(live.Concat(expired));

        var report = await Cleaner(roundSize: 150).RunAsync(CancellationToken.None);

        Assert.Equal(200, report.Read);
        Assert.Equal(200, report.Deleted);
        Assert.Equal(0, report.Missing);
        Assert.Equal(1.0, report.ReadPerDeleted);
        Assert.Equal(2000, await CountAsync(_storage.Expiry));
        Assert.Equal(2000, await CountAsync(_storage.Accounts) + await CountAsync(_storage.Devices) + await CountAsync(_storage.Runs));
        foreach (var row in expired.Take(30))
        {
            Assert.Null(await TableStorage.GetOrNullAsync(row.Table, row.PartitionKey, row.RowKey, CancellationToken.None));
        }
    }

    [Fact]
    public async Task RunAsync_RunAgain_ReadsNothing()
    {
        var now = _time.GetUtcNow();
        await SeedAsync(Enumerable.Range(0, 50).Select(i => Row(i, now.AddHours(-1 - i))).Concat([Row(99, now.AddHours(2))]));
        await Cleaner().RunAsync(CancellationToken.None);

        var second = await Cleaner().RunAsync(CancellationToken.None);

        Assert.Equal(0, second.Read);
        Assert.Equal(0, second.Deleted);
    }

    [Fact]
    public async Task RunAsync_RowAlreadyGone_CountedMissingAndIndexCleared()
    {
        var now = _time.GetUtcNow();
        var rows = Enumerable.Range(0, 10).Select(i => Row(i, now.AddMinutes(-90))).ToList();
        await SeedAsync(rows);
        // A revoked device, or a crash between index and row writes: the index entry outlives its row.
        await TableStorage.DeleteIfExistsAsync(rows[3].Table, rows[3].PartitionKey, rows[3].RowKey, CancellationToken.None);

        var report = await Cleaner().RunAsync(CancellationToken.None);

        Assert.Equal(10, report.Deleted);
        Assert.Equal(1, report.Missing);
        Assert.Equal(0, await CountAsync(_storage.Expiry));
    }

    [Fact]
    public async Task RunAsync_TwoRunsAtOnce_BothSucceedAndEverythingExpiredIsGone()
    {
        var now = _time.GetUtcNow();
        await SeedAsync(Enumerable.Range(0, 600).Select(i => Row(i, now.AddMinutes(-1 - (i % 300)))).Concat(Enumerable.Range(600, 20).Select(i => Row(i, now.AddDays(1)))));

        var reports = await Task.WhenAll(Cleaner(roundSize: 100).RunAsync(CancellationToken.None), Cleaner(roundSize: 100).RunAsync(CancellationToken.None));

        Assert.All(reports, r => Assert.True(r.Deleted <= 600));
        Assert.Equal(20, await CountAsync(_storage.Expiry));
        Assert.Equal(20, await CountAsync(_storage.Accounts) + await CountAsync(_storage.Devices) + await CountAsync(_storage.Runs));
    }

    [Fact]
    public async Task RunAsync_ClockPassesPurgeTime_RowDeletedOnlyThen()
    {
        var now = _time.GetUtcNow();
        var row = Row(1, now.AddMinutes(10));
        await SeedAsync([row]);

        var early = await Cleaner().RunAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromTicks(1));
        var due = await Cleaner().RunAsync(CancellationToken.None);

        Assert.Equal(0, early.Read);
        Assert.Equal(1, due.Deleted);
        Assert.Null(await TableStorage.GetOrNullAsync(row.Table, row.PartitionKey, row.RowKey, CancellationToken.None));
    }

    [Fact]
    public async Task RunAsync_RowIndexedTwice_DeletedOnceWithoutFailingTheBatch()
    {
        var now = _time.GetUtcNow();
        var row = Row(7, now.AddHours(-3));
        await SeedAsync([row]);
        await new ExpiryIndex(_storage).TrackAsync(row.Kind, row.PartitionKey, row.RowKey, now.AddHours(-2), CancellationToken.None);

        var report = await Cleaner().RunAsync(CancellationToken.None);

        Assert.Equal(2, report.Deleted);
        Assert.Equal(0, report.Missing);
        Assert.Equal(0, await CountAsync(_storage.Expiry));
    }

    private sealed record SeedRow(TableClient Table, ExpiringKind Kind, string PartitionKey, string RowKey, DateTimeOffset PurgeAt);

    /// <summary>Spread over the three kinds and a few tenants; device row keys contain '|' as the real store writes them.</summary>
    private SeedRow Row(int i, DateTimeOffset purgeAt) => (i % 3) switch
    {
        0 => new SeedRow(_storage.Accounts, ExpiringKind.Challenge, $"tenant-{i % 4}", $"challenge-{i:D6}", purgeAt),
        1 => new SeedRow(_storage.Devices, ExpiringKind.DeviceTrust, $"tenant-{i % 4}", $"user-{i % 7}|device-{i:D6}", purgeAt),
        _ => new SeedRow(_storage.Runs, ExpiringKind.RunData, $"run-{i % 5}", $"item-{i:D6}", purgeAt),
    };

    private async Task SeedAsync(IEnumerable<SeedRow> rows)
    {
        var list = rows.ToList();
        var batches = list.Select(r => (r.Table, Entity: new TableEntity(r.PartitionKey, r.RowKey) { ["Data"] = "x" }))
            .Concat(list.Select(r => (Table: _storage.Expiry, Entity: ExpiryIndex.Entry(r.Kind, r.PartitionKey, r.RowKey, r.PurgeAt))))
            .GroupBy(x => (x.Table.Name, x.Entity.PartitionKey))
            .SelectMany(g => g.Chunk(100));
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (batch, ct) =>
            await batch[0].Table.SubmitTransactionAsync(batch.Select(x => new TableTransactionAction(TableTransactionActionType.UpsertReplace, x.Entity)), ct));
    }

    private static async Task<int> CountAsync(TableClient table)
    {
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(select: ["PartitionKey"]))
        {
            count++;
        }

        return count;
    }
}
