using Microsoft.Extensions.Time.Testing;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.UnitTests.Storage;

public class CachingTenantStoreTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly StoredTenants _stored = new();

    private CachingTenantStore Store(TimeSpan? lifetime = null) =>
        new(_stored, new TwoFactorOptions { TenantCacheLifetime = lifetime ?? TimeSpan.FromSeconds(5) }, _time);

    [Fact]
    public async Task GetRecentAsync_WithinLifetime_RememberedRowWithoutRead()
    {
        var store = Store();
        _stored.Row = Tenant(enabled: false);
        await store.GetRecentAsync("t1", CancellationToken.None);

        // Another instance switches 2FA on: this one may go on using its row for the lifetime, and says so.
        _stored.Row = Tenant(enabled: true);
        _time.Advance(TimeSpan.FromSeconds(4.9));
        var (tenant, remembered) = await store.GetRecentAsync("t1", CancellationToken.None);

        Assert.True(remembered);
        Assert.False(tenant!.TwoFactorEnabled);
        Assert.Equal(1, _stored.Reads);
    }

    [Fact]
    public async Task GetRecentAsync_LifetimePassed_ReadsTheRowAsStored()
    {
        var store = Store();
        _stored.Row = Tenant(enabled: false);
        await store.GetRecentAsync("t1", CancellationToken.None);

        _stored.Row = Tenant(enabled: true);
        _time.Advance(TimeSpan.FromSeconds(5));
        var (tenant, remembered) = await store.GetRecentAsync("t1", CancellationToken.None);

        Assert.False(remembered);
        Assert.True(tenant!.TwoFactorEnabled);
        Assert.Equal(2, _stored.Reads);
    }

    [Fact]
    public async Task GetRecentAsync_AfterAWriteThroughThisInstance_SeesItAtOnce()
    {
        var store = Store();
        _stored.Row = Tenant(enabled: false);
        await store.GetRecentAsync("t1", CancellationToken.None);

        Assert.True(await store.TryReplaceAsync(Tenant(enabled: true), CancellationToken.None));
        var (tenant, remembered) = await store.GetRecentAsync("t1", CancellationToken.None);

        Assert.False(remembered);
        Assert.True(tenant!.TwoFactorEnabled);
    }

    [Fact]
    public async Task GetAsync_Always_ReadsTheRowAsStored()
    {
        var store = Store();
        _stored.Row = Tenant(enabled: false);
        await store.GetRecentAsync("t1", CancellationToken.None);
        _stored.Row = Tenant(enabled: true);

        Assert.True((await store.GetAsync("t1", CancellationToken.None))!.TwoFactorEnabled);
        Assert.Equal(2, _stored.Reads);
    }

    [Fact]
    public async Task GetRecentAsync_ZeroLifetime_ReadsEveryTime()
    {
        var store = Store(TimeSpan.Zero);
        _stored.Row = Tenant(enabled: true);

        await store.GetRecentAsync("t1", CancellationToken.None);
        var (_, remembered) = await store.GetRecentAsync("t1", CancellationToken.None);

        Assert.False(remembered);
        Assert.Equal(2, _stored.Reads);
    }

    [Fact]
    public async Task GetRecentAsync_UnknownTenant_NotRemembered()
    {
        var store = Store();

        Assert.Null((await store.GetRecentAsync("t1", CancellationToken.None)).Tenant);
        _stored.Row = Tenant(enabled: true);

        Assert.NotNull((await store.GetRecentAsync("t1", CancellationToken.None)).Tenant);
    }

    [Fact]
    public async Task GetRecentAsync_ConcurrentMisses_ShareOneRead()
    {
        var store = Store();
        _stored.Row = Tenant(enabled: true);
        _stored.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var callers = Enumerable.Range(0, 16).Select(_ => store.GetRecentAsync("t1", CancellationToken.None)).ToArray();
        _stored.Gate.SetResult();
        var answers = await Task.WhenAll(callers);

        Assert.All(answers, answer => Assert.True(answer.Tenant!.TwoFactorEnabled));
        Assert.Equal(1, _stored.Reads);
    }

    [Fact]
    public async Task GetRecentAsync_CallerAfterAWriteDuringASharedRead_ReadsAgainAndSeesTheWrite()
    {
        var store = Store();
        _stored.Row = Tenant(enabled: false);
        _stored.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var before = store.GetRecentAsync("t1", CancellationToken.None);

        // The read in flight may answer the old row to its own callers, never to one arriving after the write.
        _stored.Gate = null;
        Assert.True(await store.TryReplaceAsync(Tenant(enabled: true), CancellationToken.None));
        var (after, remembered) = await store.GetRecentAsync("t1", CancellationToken.None);

        Assert.False(remembered);
        Assert.True(after!.TwoFactorEnabled);
        Assert.Equal(2, _stored.Reads);
        _stored.ReleaseEarlierReads();
        await before;
    }

    [Fact]
    public async Task GetRecentAsync_OneCallerCancelled_OthersStillGetTheSharedRead()
    {
        var store = Store();
        _stored.Row = Tenant(enabled: true);
        _stored.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancel = new CancellationTokenSource();

        var leaving = store.GetRecentAsync("t1", cancel.Token);
        var staying = store.GetRecentAsync("t1", CancellationToken.None);
        await cancel.CancelAsync();
        _stored.Gate.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
        Assert.True((await staying).Tenant!.TwoFactorEnabled);
        Assert.Equal(1, _stored.Reads);
    }

    [Fact]
    public async Task GetRecentAsync_SharedReadFailed_NextCallerReadsAgain()
    {
        var store = Store();
        _stored.Failure = new InvalidOperationException("storage unavailable");

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.GetRecentAsync("t1", CancellationToken.None));
        _stored.Failure = null;
        _stored.Row = Tenant(enabled: true);

        Assert.True((await store.GetRecentAsync("t1", CancellationToken.None)).Tenant!.TwoFactorEnabled);
        Assert.Equal(2, _stored.Reads);
    }

    private static Tenant Tenant(bool enabled) => new() { TenantId = "t1", DisplayName = "T", TwoFactorEnabled = enabled };

    /// <summary>The stored rows, as another instance would change them.</summary>
    private sealed class StoredTenants : ITenantStore
    {
        public Tenant? Row { get; set; }

        private int _reads;
        private readonly List<TaskCompletionSource> _held = [];

        public int Reads => _reads;

        /// <summary>While set, a read answers only once it completes: the row as stored when the read began.</summary>
        public TaskCompletionSource? Gate { get; set; }

        public Exception? Failure { get; set; }

        public async Task<Tenant?> GetAsync(string tenantId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            var (row, gate, failure) = (Row, Gate, Failure);
            if (gate is not null)
            {
                _held.Add(gate);
                await gate.Task;
            }

            return failure is null ? row : throw failure;
        }

        public void ReleaseEarlierReads() => _held.ForEach(gate => gate.TrySetResult());

        public Task UpsertProfileAsync(TenantProfile profile, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> TryReplaceAsync(Tenant tenant, CancellationToken cancellationToken)
        {
            Row = tenant;
            return Task.FromResult(true);
        }
    }
}
