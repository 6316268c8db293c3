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

    private static Tenant Tenant(bool enabled) => new() { TenantId = "t1", DisplayName = "T", TwoFactorEnabled = enabled };

    /// <summary>The stored rows, as another instance would change them.</summary>
    private sealed class StoredTenants : ITenantStore
    {
        public Tenant? Row { get; set; }

        public int Reads { get; private set; }

        public Task<Tenant?> GetAsync(string tenantId, CancellationToken cancellationToken)
        {
            Reads++;
            return Task.FromResult(Row);
        }

        public Task UpsertProfileAsync(TenantProfile profile, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> TryReplaceAsync(Tenant tenant, CancellationToken cancellationToken)
        {
            Row = tenant;
            return Task.FromResult(true);
        }
    }
}
