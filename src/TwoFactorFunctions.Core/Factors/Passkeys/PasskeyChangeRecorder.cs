using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Core.Security;

namespace TwoFactorFunctions.Core.Factors.Passkeys;

/// <summary>
/// The user-row side, the audit entry and the notice of a passkey change, to the previous contact too: the same for an
/// added and a removed passkey.
/// </summary>
public sealed class PasskeyChangeRecorder(UserFactorRows rows, IAuditLog audit, FactorNotifier notifier, AccountNotices notices, TimeProvider time)
{
    /// <param name="hasFactors">The user row's factor hint after the change, or null to leave it.</param>
    public async Task RecordAsync(DirectoryUser user, AuditEventType type, FactorNotice notice, string? actorId, string detail, string idempotencyKey,
        bool? hasFactors, CancellationToken cancellationToken)
    {
        // A new security stamp: devices remembered on the strength of the old factors are forgotten.
        var stamped = await rows.TouchUserAsync(user.TenantId, user.UserId, hasFactors, newStamp: true, cancellationToken);
        await audit.RecordAsync(new AuditEvent(user.TenantId, type, time.GetUtcNow(), user.UserId, actorId, detail), cancellationToken);
        await notifier.NotifyAsync(stamped.User ?? user, notices.FactorChanged(notice, 0), idempotencyKey, cancellationToken);
    }
}
