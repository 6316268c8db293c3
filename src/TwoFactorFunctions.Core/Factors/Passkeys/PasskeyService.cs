using TwoFactorFunctions.Core.Common;
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
    IWebAuthn webAuthn, IAuditLog audit, TimeProvider time)
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
        if (!saved.IsSuccess)
        {
            return saved.Error;
        }

        // The name is the user's own text: it stays out of the audit log.
        await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.PasskeyRenamed, time.GetUtcNow(), userId, actorId, $"Passkey {passkeyId} renamed."),
            cancellationToken);
        return PasskeyInfo.Of(PasskeyRules.Find(saved.Value, passkeyId)!);
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
