using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Factors.Passkeys;

/// <summary>What a user (or their admin) sees of a passkey: never the key or the credential id.</summary>
public sealed record PasskeyInfo(string PasskeyId, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, bool BackupEligible,
    bool BackedUp, IReadOnlyList<string> Transports, Guid Aaguid)
{
    public static PasskeyInfo Of(Passkey p) => new(p.PasskeyId, p.Name, p.CreatedAt, p.LastUsedAt, p.BackupEligible, p.BackedUp, p.Transports, p.Aaguid);
}

public sealed record PasskeyList(IReadOnlyList<PasskeyInfo> Passkeys, bool Available);

/// <summary>A user's passkeys once added: list, rename, remove. Adding is <see cref="PasskeyRegistrationService"/>'s.</summary>
/// <remarks>
/// Removing is a factor change: it spends a fresh proof (<see cref="FactorChangeRule"/>), replaces the security stamp and
/// is notified. Renaming is not — a name proves nothing — and is a plain conditional write.
/// </remarks>
public sealed class PasskeyService(UserFactorRows rows, IUserFactorStore factors, FactorChangeProofs proofs, PasskeyChangeRecorder recorder,
    IWebAuthn webAuthn)
{
    public async Task<Result<PasskeyList>> ListAsync(string tenantId, string userId, string? actorId, CancellationToken cancellationToken)
    {
        var ctx = await rows.LoadAsync(tenantId, userId, actorId, selfOnly: false, cancellationToken);
        return ctx.IsSuccess ? List(ctx.Value.Factors) : ctx.Error;
    }

    public async Task<Result<PasskeyInfo>> RenameAsync(string tenantId, string userId, string? actorId, string passkeyId, string? name,
        CancellationToken cancellationToken)
    {
        var ctx = await rows.LoadAsync(tenantId, userId, actorId, selfOnly: true, cancellationToken);
        if (!ctx.IsSuccess)
        {
            return ctx.Error;
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            return new DomainError(ErrorKind.Invalid, "invalid_passkey_name", $"name is required: 1 to {PasskeyRules.MaxNameLength} characters.");
        }

        var named = PasskeyRules.Name(name, 0);
        if (!named.IsSuccess)
        {
            return named.Error;
        }

        var saved = await rows.UpdateAsync(tenantId, userId, f => PasskeyRules.Find(f, passkeyId) is null
            ? PasskeyRules.NotFound
            : f with { Passkeys = [.. f.Passkeys.Select(p => p.PasskeyId == passkeyId ? p with { Name = named.Value } : p)] }, cancellationToken);
        return saved.IsSuccess ? PasskeyInfo.Of(PasskeyRules.Find(saved.Value, passkeyId)!) : saved.Error;
    }

    public async Task<Result<PasskeyList>> RemoveAsync(string tenantId, string userId, string? actorId, string passkeyId, string? verifiedChallengeId,
        CancellationToken cancellationToken)
    {
        var ctx = await rows.LoadAsync(tenantId, userId, actorId, selfOnly: true, cancellationToken);
        if (!ctx.IsSuccess)
        {
            return ctx.Error;
        }

        var (tenant, user, current) = ctx.Value;
        if (PasskeyRules.RemovalRefusal(tenant, user, current, passkeyId) is { } refused)
        {
            return refused;
        }

        var proof = await proofs.SpendAsync(SensitiveOperation.RemovePasskey, tenant, user, current, verifiedChallengeId, cancellationToken);
        if (!proof.IsSuccess)
        {
            return proof.Error;
        }

        var left = await rows.UpdateAsync(tenantId, userId, f => PasskeyRules.RemovalRefusal(tenant, user, f, passkeyId) is { } now
            ? now
            : f with { Passkeys = [.. f.Passkeys.Where(p => p.PasskeyId != passkeyId)] }, cancellationToken);
        if (!left.IsSuccess)
        {
            return left.Error;
        }

        if (left.Value.IsEmpty)
        {
            await factors.DeleteAsync(tenantId, userId, cancellationToken);
        }

        await recorder.RecordAsync(user, AuditEventType.PasskeyRemoved, FactorNotice.PasskeyRemoved, actorId,
            $"Passkey {passkeyId} removed by the user; remembered devices forgotten.", $"{proof.Value.ChallengeId}.passkey-removed",
            hasFactors: !left.Value.IsEmpty, cancellationToken);
        return List(left.Value);
    }

    private PasskeyList List(UserFactors held) => new([.. held.Passkeys.Select(PasskeyInfo.Of)], webAuthn.Available);
}

/// <summary>
/// The user-row side, the audit entry and the notice of a passkey change, to the previous contact too: the same for an
/// added and a removed passkey.
/// </summary>
public sealed class PasskeyChangeRecorder(UserFactorRows rows, IAuditLog audit, FactorNotifier notifier, AccountNotices notices, TimeProvider time)
{
    /// <param name="hasFactors">The user row's factor hint after the change, or null to leave it.</param>
    public async Task RecordAsync(DirectoryUser user, AuditEventType type, FactorNotice notice, string? actorId, string detail, string idempotencyKey,
        CancellationToken cancellationToken) =>
        await RecordAsync(user, type, notice, actorId, detail, idempotencyKey, null, cancellationToken);

    public async Task RecordAsync(DirectoryUser user, AuditEventType type, FactorNotice notice, string? actorId, string detail, string idempotencyKey,
        bool? hasFactors, CancellationToken cancellationToken)
    {
        // A new security stamp: devices remembered on the strength of the old factors are forgotten.
        var stamped = await rows.TouchUserAsync(user.TenantId, user.UserId, hasFactors, newStamp: true, cancellationToken);
        await audit.RecordAsync(new AuditEvent(user.TenantId, type, time.GetUtcNow(), user.UserId, actorId, detail), cancellationToken);
        await notifier.NotifyAsync(stamped.User ?? user, notices.FactorChanged(notice, 0), idempotencyKey, cancellationToken);
    }
}
