using TwoFactorFunctions.Core.Accounts;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Messaging;

namespace TwoFactorFunctions.Core.Factors;

/// <summary>
/// Tells a user that how they prove who they are changed (or a recovery code was used), so a change they did not make is
/// noticed: by email to the current address, and, for <see cref="DirectoryUser.ContactGrace"/> after a contact change,
/// to the replaced email or phone too, since whoever changed the contact now reads the new one. Each notice carries a
/// "this wasn't me" token (<see cref="ChangeReportTokens"/>). The audit log has the event either way.
/// </summary>
public sealed class FactorNotifier(IEmailSender email, AccountNotices notices, ChangeReportTokens reports, TimeProvider time, ISmsSender? sms = null)
{
    /// <param name="user">The user as written by the change (its security stamp signs the report token).</param>
    /// <param name="idempotencyKey">Names this change: a retried request sends no second copy.</param>
    public async Task NotifyAsync(DirectoryUser user, AccountNotice notice, string idempotencyKey, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var report = reports.Issue(user);
        if (user.Email is { } current)
        {
            await email.SendAsync(notices.Email(current, user, notice, report, idempotencyKey), cancellationToken);
        }
        else if (user.Phone is { } phone && sms is not null)
        {
            await sms.SendAsync(notices.Sms(user.TenantId, phone, notice, $"{idempotencyKey}.sms"), cancellationToken);
        }

        if (user.PreviousEmailAt(now) is { } previous)
        {
            await email.SendAsync(notices.Email(previous, user, notice, report, $"{idempotencyKey}.previous"), cancellationToken);
        }

        if (user.PreviousPhoneAt(now) is { } previousPhone && sms is not null)
        {
            await sms.SendAsync(notices.Sms(user.TenantId, previousPhone, notice, $"{idempotencyKey}.previous-sms"), cancellationToken);
        }
    }
}
