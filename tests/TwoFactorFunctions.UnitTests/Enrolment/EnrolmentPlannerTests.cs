using Microsoft.Extensions.Time.Testing;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.UnitTests.Enrolment;

public class EnrolmentPlannerTests
{
    private const string Tenant = "t1";
    private const string RunId = "run1";

    [Fact]
    public async Task PlanAsync_CrashAfterACheckpoint_ResumesWithSameBatchesAndNoGapOrOverlap()
    {
        var keys = Enumerable.Range(0, 2550).Select(i => $"u{i:D5}").ToList();
        var (planner, runs, queue) = Build(keys, failOnBatchSend: 2);

        await Assert.ThrowsAsync<IOException>(() => planner.PlanAsync(new PlanWork(Tenant, RunId), 1, default));
        Assert.Equal(20, runs.Run.BatchesPlanned); // page 2 was checkpointed, its batches never sent
        Assert.Equal(10, queue.Batches.Count);

        await planner.PlanAsync(new PlanWork(Tenant, RunId), 2, default);

        Assert.True(runs.Run.PlanningDone);
        Assert.Equal(26, runs.Run.BatchesPlanned);
        var distinct = queue.Batches.GroupBy(b => b.Batch).Select(g => Assert.Single(g.Distinct())).OrderBy(b => b.Batch).ToList();
        Assert.Equal(Enumerable.Range(0, 26).Select(i => (long)i), distinct.Select(b => b.Batch));

        // Contiguous ranges: each starts after the previous one's last key, and together they hold every key once.
        string? after = null;
        var covered = new List<string>();
        foreach (var batch in distinct)
        {
            Assert.Equal(after, batch.After);
            var inRange = keys.Where(k => (after is null || string.CompareOrdinal(k, after) > 0) && string.CompareOrdinal(k, batch.Last) <= 0).ToList();
            Assert.Equal(batch.Count, inRange.Count);
            covered.AddRange(inRange);
            after = batch.Last;
        }

        Assert.Equal(keys, covered);
        Assert.Equal(50, distinct[^1].Count);
    }

    [Fact]
    public async Task PlanAsync_FailsOnLastDelivery_ClosesPlanningWithAnError()
    {
        var keys = Enumerable.Range(0, 1500).Select(i => $"u{i:D5}").ToList();
        var (planner, runs, _) = Build(keys, failOnBatchSend: 2, failAlways: true);

        await planner.PlanAsync(new PlanWork(Tenant, RunId), 5, default);

        // The last page (500 users) was checkpointed but never queued: counted as failed, so the run can still finish.
        var run = await runs.GetAsync(Tenant, RunId, default);
        Assert.True(run!.PlanningDone);
        Assert.NotNull(run.PlanError);
        Assert.Equal(RunStatus.Running, run.Status);
        Assert.Equal(15, run.BatchesPlanned);
        Assert.Equal(5, run.BatchesDone);
        Assert.Equal(RunCounters.AllFailed(500), run.Counters);
    }

    [Fact]
    public async Task PlanAsync_RunNoLongerTheTenantsLatest_MarksItFailedWithoutPlanning()
    {
        var (planner, runs, queue) = Build(["u1"], failOnBatchSend: 0, lastRunId: "newer");

        await planner.PlanAsync(new PlanWork(Tenant, RunId), 1, default);

        Assert.Equal(RunStatus.Failed, runs.Run.Status);
        Assert.Empty(queue.Batches);
    }

    private static (EnrolmentPlanner, MemoryRuns, RecordingQueues) Build(List<string> keys, int failOnBatchSend, bool failAlways = false, string lastRunId = RunId)
    {
        var time = new FakeTimeProvider();
        var runs = new MemoryRuns(new EnrolmentRun { TenantId = Tenant, RunId = RunId, ActorId = "admin", Status = RunStatus.Pending, Version = "1" });
        var queue = new RecordingQueues(failOnBatchSend, failAlways);
        var tenants = new OneTenant(new Tenant { TenantId = Tenant, LastRunId = lastRunId, ActiveRunId = lastRunId });
        var options = new EnrolmentOptions { BatchSize = 100, PlannerPageSize = 1000, MaxDequeueCount = 5 };
        var directory = new PagedKeys(keys);
        var worker = new EnrolmentBatchWorker(runs, directory, new NoUsers(), queue, time);
        return (new EnrolmentPlanner(runs, directory, tenants, queue, worker, options, time), runs, queue);
    }

    private sealed class MemoryRuns(EnrolmentRun run) : IEnrolmentRunStore
    {
        private readonly Dictionary<int, TallyShard> _shards = Enumerable.Range(0, EnrolmentRun.TallyShards)
            .ToDictionary(s => s, s => new TallyShard(Tenant, RunId, s, RunCounters.Zero, 0, 0, default, "0"));

        private readonly HashSet<long> _batches = [];
        private int _version = 1;

        public EnrolmentRun Run { get; private set; } = run;

        public Task<EnrolmentRun?> GetAsync(string tenantId, string runId, CancellationToken cancellationToken) =>
            Task.FromResult<EnrolmentRun?>(Run with
            {
                Counters = _shards.Values.Aggregate(RunCounters.Zero, (c, s) => c.Add(s.Counters)),
                BatchesDone = _shards.Values.Sum(s => s.Batches),
            });

        public Task<TallyShard?> GetShardAsync(string t, string r, int s, CancellationToken c) => Task.FromResult<TallyShard?>(_shards[s]);

        public Task<(TallyResult Result, string? Version)> TryTallyAsync(TallyShard shard, BatchResult batch, CancellationToken c)
        {
            if (_batches.Contains(batch.Batch))
            {
                return Task.FromResult<(TallyResult, string?)>((TallyResult.AlreadyTallied, null));
            }

            if (_shards[shard.Shard].Version != shard.Version)
            {
                return Task.FromResult<(TallyResult, string?)>((TallyResult.ShardChanged, null));
            }

            _batches.Add(batch.Batch);
            var version = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _shards[shard.Shard] = shard with { Version = version };
            return Task.FromResult<(TallyResult, string?)>((TallyResult.Applied, version));
        }

        public Task<EnrolmentRun?> GetHeaderAsync(string tenantId, string runId, CancellationToken cancellationToken) => Task.FromResult<EnrolmentRun?>(Run);

        public Task<string?> TryReplaceAsync(EnrolmentRun updated, CancellationToken cancellationToken)
        {
            if (updated.Version != Run.Version)
            {
                return Task.FromResult<string?>(null);
            }

            var version = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Run = updated with { Version = version };
            return Task.FromResult<string?>(version);
        }

        public Task<string> InsertAsync(EnrolmentRun r, CancellationToken c) => throw new NotSupportedException();

        public Task<BatchResult?> GetBatchAsync(string t, string r, long b, CancellationToken c) => throw new NotSupportedException();


        public Task<NoticeProgress?> GetNoticeProgressAsync(string t, string r, long b, CancellationToken c) => throw new NotSupportedException();

        public Task<string?> TrySaveNoticeProgressAsync(NoticeProgress p, CancellationToken c) => throw new NotSupportedException();

        public Task<NoticeTotals> SumNoticesAsync(string t, string r, CancellationToken c) => throw new NotSupportedException();

        public Task ScheduleCleanupAsync(EnrolmentRun r, DateTimeOffset p, CancellationToken c) => throw new NotSupportedException();
    }

    /// <summary>Keys in pages; the continuation token is the index of the next key, as opaque to the planner as a real one.</summary>
    private sealed class PagedKeys(List<string> keys) : IEnrolmentDirectory
    {
        public Task<Page<string>> ListUserIdsAsync(string tenantId, string? continuationToken, int pageSize, CancellationToken cancellationToken)
        {
            var start = continuationToken is null ? 0 : int.Parse(continuationToken, System.Globalization.CultureInfo.InvariantCulture);
            var items = keys.Skip(start).Take(pageSize).ToList();
            var next = start + items.Count < keys.Count ? (start + items.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            return Task.FromResult(new Page<string>(items, next));
        }

        public Task<IReadOnlyList<UserRead>> ReadRangeAsync(string t, string? a, string l, CancellationToken c) => throw new NotSupportedException();

        public Task<bool> TryUpdateTwoFactorAsync(IReadOnlyList<DirectoryUser> u, CancellationToken c) => throw new NotSupportedException();
    }

    private sealed class RecordingQueues(int failOnBatchSend, bool failAlways) : IEnrolmentQueues
    {
        private int _sends;

        public List<BatchWork> Batches { get; } = [];

        public Task EnqueueBatchesAsync(IReadOnlyList<BatchWork> batches, CancellationToken cancellationToken)
        {
            _sends++;
            if (_sends == failOnBatchSend || (failAlways && _sends >= failOnBatchSend))
            {
                throw new IOException("queue unreachable");
            }

            Batches.AddRange(batches);
            return Task.CompletedTask;
        }

        public Task EnqueuePlanAsync(PlanWork w, TimeSpan d, CancellationToken c) => Task.CompletedTask;

        public Task EnqueueSummaryAsync(SummaryWork w, TimeSpan d, CancellationToken c) => Task.CompletedTask;

        public Task EnqueueNoticesAsync(NoticeWork w, TimeSpan d, CancellationToken c) => Task.CompletedTask;
    }

    private sealed class NoUsers : IUserStore
    {
        public Task<DirectoryUser?> GetAsync(string tenantId, string userId, CancellationToken cancellationToken) => Task.FromResult<DirectoryUser?>(null);

        public Task UpsertProfileAsync(string t, UserProfile p, CancellationToken c) => throw new NotSupportedException();

        public Task UpsertProfilesAsync(string t, IReadOnlyList<UserProfile> p, CancellationToken c) => throw new NotSupportedException();

        public Task<bool> DeleteAsync(string t, string u, CancellationToken c) => throw new NotSupportedException();

        public Task<bool> TryReplaceAsync(DirectoryUser u, CancellationToken c) => throw new NotSupportedException();

        public Task<Page<DirectoryUser>> ListAsync(string t, string? k, int s, CancellationToken c) => throw new NotSupportedException();
    }

    private sealed class OneTenant(Tenant tenant) : ITenantStore
    {
        public Task<Tenant?> GetAsync(string tenantId, CancellationToken cancellationToken) => Task.FromResult<Tenant?>(tenant);

        public Task UpsertProfileAsync(TenantProfile profile, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> TryReplaceAsync(Tenant t, CancellationToken c) => throw new NotSupportedException();
    }
}
