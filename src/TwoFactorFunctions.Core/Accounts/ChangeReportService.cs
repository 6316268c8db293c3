using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Devices;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Accounts;

/// <summary>
/// "This wasn't me": the owner of a contact that was told of a change (the current one, or a replaced one within its
/// grace period) reports it with the token from the notice. The account is locked until an admin unlocks it, its
/// remembered devices are forgotten, and the tenant's admins and the platform's security address are alerted.
/// </summary>
/// <remarks>
/// The token is the only credential: the reporter is by definition not signed in (the attacker may hold the session).
/// It is single use because the report replaces the security stamp it is bound to, and it says nothing about other
/// users: an unknown user and a wrong token get the same answer.
/// </remarks>
public sealed class ChangeReportService(
    IUserStore users,
    ChangeReportTokens tokens,
    AccountGuardService guards,
    DeviceTrustService devices,
    IAuditLog audit,
    IEmailSender email,
    AccountNotices notices,
    MessagingOptions messaging,
    TimeProvider time)
{
    public static readonly DomainError InvalidToken = new(ErrorKind.Forbidden, "invalid_report_token",
        "The report token is not valid for this user (it may have expired, or the account has changed since the notice).");

    public async Task<DomainError?> ReportAsync(string tenantId, string userId, string? token, CancellationToken cancellationToken)
    {
        // Conditional on the row the token was checked against: of two parallel reports with one token, one wins.
        var reported = await Optimistic.RetryAsync<DirectoryUser>(async () =>
        {
            var user = await users.GetAsync(tenantId, userId, cancellationToken);
            if (user is null || !tokens.IsValid(user, token))
            {
                return InvalidToken;
            }

            var stamped = user with { SecurityStamp = Ids.NewId() };
            return await users.TryReplaceAsync(stamped, cancellationToken) ? stamped : Optimistic.LostRace;
        }, cancellationToken);
        if (!reported.IsSuccess)
        {
            return reported.Error;
        }

        await guards.LockUntilUnlockedAsync(tenantId, userId, cancellationToken);
        await devices.RevokeAllAsync(tenantId, userId, userId, cancellationToken);
        await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.ChangeReported, time.GetUtcNow(), userId, userId,
            "The user reported a change they did not make: account locked until an administrator unlocks it; remembered devices forgotten."), cancellationToken);
        await AlertAsync(reported.Value, cancellationToken);
        return null;
    }

    private async Task AlertAsync(DirectoryUser user, CancellationToken cancellationToken)
    {
        var key = $"{user.SecurityStamp}.change-report";
        foreach (var admin in await users.ListAdminsAsync(user.TenantId, cancellationToken))
        {
            if (admin.Active && admin.UserId != user.UserId && admin.Email is { } to)
            {
                await email.SendAsync(notices.ChangeReported(to, user, $"{key}.{admin.UserId}"), cancellationToken);
            }
        }

        if (messaging.SecurityAlertAddress is { } security)
        {
            await email.SendAsync(notices.ChangeReported(security, user, $"{key}.security"), cancellationToken);
        }
    }
}
