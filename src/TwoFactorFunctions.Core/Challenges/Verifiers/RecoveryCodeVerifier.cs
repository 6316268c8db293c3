using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Challenges.Verifiers;

/// <summary>
/// A single-use recovery code, for a user without their app. Its use is audited and notified to the user's contacts:
/// a recovery code used by someone else is an account takeover the owner must hear about.
/// </summary>
public sealed class RecoveryCodeVerifier(TotpSecretProtector protector, RecoveryCodes recoveries, RecoveryCodeUseNotice notice)
    : AppFactorVerifier(protector)
{
    public override Factor Factor => Factor.RecoveryCode;

    public override string Noun => "recovery code";

    public override Result<string> Parse(string answer) => RecoveryCodes.Normalise(answer) is { } normalised
        ? normalised
        : new DomainError(ErrorKind.Invalid, "invalid_recovery_code_format", "A recovery code is 10 letters and digits (xxxxx-xxxxx).");

    protected override Result<FactorMatch> Match(UserFactors held, UserFactors resealed, byte[] secret, string answer, DateTimeOffset now, bool alreadySpent)
    {
        var slot = recoveries.Find(held, answer);
        if (slot < 0)
        {
            return FactorMatch.NoMatch;
        }

        if (held.IsUsed(slot))
        {
            // Spent by this very request (it lost the race on the challenge row, not on the code), or a replay.
            return alreadySpent
                ? new FactorMatch(true, null)
                : new DomainError(ErrorKind.Conflict, "recovery_code_already_used", "This recovery code has been used already; use another one.");
        }

        var used = Enumerable.Range(0, held.RecoveryCodeHashes.Count).Select(held.IsUsed).ToArray();
        used[slot] = true;
        return new FactorMatch(true, resealed with { RecoveryCodesUsed = used });
    }

    public override Task OnVerifiedAsync(Challenge verified, UserFactors? spent, CancellationToken cancellationToken) =>
        notice.RecordAsync(verified, spent, cancellationToken);
}

/// <summary>The audit entry and the notice to the user's contacts when one of their recovery codes was used.</summary>
public sealed class RecoveryCodeUseNotice(IUserStore users, IUserFactorStore factors, IAuditLog audit, FactorNotifier notifier, AccountNotices notices,
    TimeProvider time)
{
    public async Task RecordAsync(Challenge verified, UserFactors? spent, CancellationToken cancellationToken)
    {
        var left = (spent ?? await factors.GetAsync(verified.TenantId, verified.UserId, cancellationToken)).RecoveryCodesLeft;
        await audit.RecordAsync(new AuditEvent(verified.TenantId, AuditEventType.RecoveryCodeUsed, time.GetUtcNow(), verified.UserId, verified.UserId,
            $"Recovery code used for {verified.Purpose} challenge {verified.ChallengeId}; {left} left."), cancellationToken);
        if (await users.GetAsync(verified.TenantId, verified.UserId, cancellationToken) is DirectoryUser user)
        {
            await notifier.NotifyAsync(user, notices.FactorChanged(FactorNotice.RecoveryCodeUsed, left), $"{verified.ChallengeId}.recovery-code-used", cancellationToken);
        }
    }
}
