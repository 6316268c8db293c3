using System.Collections.Concurrent;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Security;

namespace TwoFactorFunctions.Core.Storage;

/// <summary>
/// The tenant store with a per-instance memory of recently read tenant rows, for the one read where a few seconds' old
/// row is safe: issuing a sign-in challenge (<see cref="GetRecentAsync"/>). Everything else, every read-decide-write
/// loop included, reads the row as stored (<see cref="GetAsync"/>).
/// </summary>
/// <remarks>
/// Why that one read is safe: a challenge is the strict answer. A tenant that just switched 2FA off or loosened its policy
/// is at worst asked for a code for <see cref="TwoFactorOptions.TenantCacheLifetime"/> longer; every answer that lets a
/// user in without one (2FA off, an exemption, a first sign-in, a remembered device) and every verify is decided on the
/// row as stored, so a switch-on or a tightening is never weakened by this memory. A change made through this instance
/// is seen by it at once (the entry is dropped on every write); other instances see it within the lifetime.
/// </remarks>
public sealed class CachingTenantStore(ITenantStore inner, TwoFactorOptions options, TimeProvider time) : ITenantStore
{
    /// <summary>A deployment's tenants fit many times over; past this the memory is simply started again.</summary>
    private const int MaxEntries = 50_000;

    // A null tenant marks a write by this instance at that time: no read that started before it may be remembered.
    private readonly ConcurrentDictionary<string, (Tenant? Tenant, long ReadAt)> _recent = new(StringComparer.Ordinal);

    // The read each tenant's missing callers share, until it completes or a write through this instance drops it.
    private readonly ConcurrentDictionary<string, Lazy<Task<Tenant?>>> _reading = new(StringComparer.Ordinal);

    /// <summary>The tenant as stored (and remembered for <see cref="GetRecentAsync"/>).</summary>
    public async Task<Tenant?> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        var readAt = time.GetTimestamp();
        var tenant = await inner.GetAsync(tenantId, cancellationToken);
        Remember(tenantId, tenant, readAt);
        return tenant;
    }

    /// <summary>
    /// The tenant as read by this instance at most <see cref="TwoFactorOptions.TenantCacheLifetime"/> ago, and whether it
    /// came from memory (a caller about to let a user in without a challenge must then read it as stored).
    /// </summary>
    public async Task<(Tenant? Tenant, bool Remembered)> GetRecentAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (_recent.TryGetValue(tenantId, out var entry) && entry.Tenant is { } tenant && time.GetElapsedTime(entry.ReadAt) < options.TenantCacheLifetime)
        {
            return (tenant, true);
        }

        // After an idle spell every sign-in in flight misses at once: they share one read instead of each sending its own.
        Lazy<Task<Tenant?>>? read = null;
        read = new(() => ReadSharedAsync(tenantId, read!));
        var shared = _reading.GetOrAdd(tenantId, read);
        return (await shared.Value.WaitAsync(cancellationToken), false);
    }

    public Task UpsertProfileAsync(TenantProfile profile, CancellationToken cancellationToken) =>
        WritingAsync(profile.TenantId, async () =>
        {
            await inner.UpsertProfileAsync(profile, cancellationToken);
            return true;
        });

    public Task<bool> TryReplaceAsync(Tenant tenant, CancellationToken cancellationToken) =>
        WritingAsync(tenant.TenantId, () => inner.TryReplaceAsync(tenant, cancellationToken));

    /// <summary>
    /// Marked before and after: a sign-in reading in between gets the row as stored, never one older than the write; a
    /// failed or cancelled write is marked too, since it may have reached the table.
    /// </summary>
    private async Task<T> WritingAsync<T>(string tenantId, Func<Task<T>> write)
    {
        Written(tenantId);
        try
        {
            return await write();
        }
        finally
        {
            Written(tenantId);
        }
    }

    /// <summary>
    /// One read for every caller that joins it, so no caller's cancellation ends it for the others (the table client's
    /// own timeouts bound it); it leaves the shared slot when it completes, a failure included.
    /// </summary>
    private async Task<Tenant?> ReadSharedAsync(string tenantId, Lazy<Task<Tenant?>> read)
    {
        try
        {
            return await GetAsync(tenantId, CancellationToken.None);
        }
        finally
        {
            _reading.TryRemove(KeyValuePair.Create(tenantId, read));
        }
    }

    private void Written(string tenantId)
    {
        _recent[tenantId] = (null, time.GetTimestamp());

        // A caller arriving after this write must not join a read that started before it.
        _reading.TryRemove(tenantId, out _);
    }

    private void Remember(string tenantId, Tenant? tenant, long readAt)
    {
        if (tenant is null || options.TenantCacheLifetime <= TimeSpan.Zero)
        {
            return;
        }

        if (_recent.Count >= MaxEntries)
        {
            _recent.Clear();
        }

        // A read that started before a write on this instance may finish after it: only a read started later replaces an entry.
        _recent.AddOrUpdate(tenantId, (tenant, readAt), (_, current) => current.ReadAt >= readAt ? current : (tenant, readAt));
    }
}
