using System.Security.Cryptography;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Devices;

public sealed record IssuedDeviceToken(string DeviceId, string Token, DateTimeOffset ExpiresAt);

/// <summary>Issues, checks and revokes remembered devices.</summary>
public sealed class DeviceTrustService(IDeviceTrustStore store, IAuditLog audit, TimeProvider time)
{
    private const int SecretBytes = 32;
    private const int MaxTokenLength = 200;
    private const int MaxLabelLength = 100;

    public async Task<IssuedDeviceToken> IssueAsync(Tenant tenant, DirectoryUser user, string? label, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var deviceId = Ids.NewId();
        var secret = Ids.NewToken(SecretBytes);
        var trust = new DeviceTrust
        {
            TenantId = tenant.TenantId,
            UserId = user.UserId,
            DeviceId = deviceId,
            SecretHash = Ids.HashToken(secret),
            Label = CleanLabel(label),
            CreatedAt = now,
            ExpiresAt = now.AddDays(tenant.DeviceTrustDays),
            UserSecurityStamp = user.SecurityStamp,
            TenantTrustEpoch = tenant.TrustEpoch,
        };
        await store.InsertAsync(trust, cancellationToken);
        await audit.RecordAsync(new AuditEvent(tenant.TenantId, AuditEventType.DeviceTrusted, now, user.UserId, user.UserId,
            $"Device {deviceId} trusted until {trust.ExpiresAt:O}."), cancellationToken);
        return new IssuedDeviceToken(deviceId, $"{deviceId}.{secret}", trust.ExpiresAt);
    }

    /// <summary>True only for an unexpired token of this very user, issued under the user's and tenant's current state.</summary>
    public async Task<bool> IsTrustedAsync(Tenant tenant, DirectoryUser user, string? token, CancellationToken cancellationToken)
    {
        if (tenant.DeviceTrustDays <= 0 || string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return false;
        }

        var dot = token.IndexOf('.');
        if (dot <= 0 || !Ids.IsValid(token[..dot]))
        {
            return false;
        }

        // The lookup key includes the user id: another user's token is simply not found under this user.
        var trust = await store.GetAsync(tenant.TenantId, user.UserId, token[..dot], cancellationToken);
        return trust is not null
               && trust.ExpiresAt > time.GetUtcNow()
               && trust.TenantTrustEpoch == tenant.TrustEpoch
               && string.Equals(trust.UserSecurityStamp, user.SecurityStamp, StringComparison.Ordinal)
               && CryptographicOperations.FixedTimeEquals(trust.SecretHash, Ids.HashToken(token[(dot + 1)..]));
    }

    public Task<IReadOnlyList<DeviceTrust>> ListAsync(string tenantId, string userId, CancellationToken cancellationToken) =>
        store.ListAsync(tenantId, userId, cancellationToken);

    public async Task<bool> RevokeAsync(string tenantId, string userId, string deviceId, string actorId, CancellationToken cancellationToken)
    {
        var deleted = await store.DeleteAsync(tenantId, userId, deviceId, cancellationToken);
        if (deleted)
        {
            await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.DeviceRevoked, time.GetUtcNow(), userId, actorId,
                $"Device {deviceId} revoked."), cancellationToken);
        }

        return deleted;
    }

    public async Task<int> RevokeAllAsync(string tenantId, string userId, string actorId, CancellationToken cancellationToken)
    {
        var count = await store.DeleteAllAsync(tenantId, userId, cancellationToken);
        await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.DeviceRevoked, time.GetUtcNow(), userId, actorId,
            $"All devices revoked ({count})."), cancellationToken);
        return count;
    }

    private static string? CleanLabel(string? label)
    {
        if (string.IsNullOrWhiteSpace(label))
        {
            return null;
        }

        var clean = new string(label.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return clean.Length > MaxLabelLength ? clean[..MaxLabelLength] : clean;
    }
}
