using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Messaging;

namespace TwoFactorFunctions.Core.Factors;

/// <summary>
/// Tells a user by email that their authenticator or recovery codes changed or were used, so a change they did not make
/// is noticed. A user without an email gets no notice; the audit log has the event either way.
/// </summary>
public sealed class FactorNotifier(IEmailSender email, AccountNotices notices)
{
    public Task NotifyAsync(DirectoryUser user, FactorNotice notice, int recoveryCodesLeft, string idempotencyKey, CancellationToken cancellationToken) =>
        user.Email is null
            ? Task.CompletedTask
            : email.SendAsync(notices.FactorChanged(user, notice, recoveryCodesLeft, idempotencyKey), cancellationToken);
}
