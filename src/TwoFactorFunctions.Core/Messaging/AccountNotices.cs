using System.Globalization;
using System.Text;
using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Core.Messaging;

/// <summary>What a notice says, before it is addressed: the email's subject and paragraph, and the SMS's short form.</summary>
public sealed record AccountNotice(string Subject, string Body, string SmsText);

/// <summary>Out-of-band notices sent when a user's factors change, so a change the user did not make is noticed.</summary>
public sealed class AccountNotices(MessagingOptions options)
{
    public string ProductName => options.ProductName;

    public AccountNotice TwoFactorChanged(bool enabled)
    {
        var product = options.ProductName;
        return enabled
            ? new($"Two-factor sign-in is now on for your {product} account",
                $"From now on, signing in to {product} needs a one-time code in addition to your password.",
                $"{product}: two-factor sign-in was turned on for your account.")
            : new($"Two-factor sign-in was turned off for your {product} account",
                $"Signing in to {product} no longer needs a one-time code.",
                $"{product}: two-factor sign-in was turned off for your account.");
    }

    /// <param name="changed">"email address" or "phone number".</param>
    public AccountNotice ContactChanged(string changed) => new(
        $"Your {options.ProductName} {changed} was changed",
        $"The {changed} used for your {options.ProductName} sign-in codes was just changed. The previous one will no longer receive them, but hears of every change to your sign-in for {DirectoryUser.ContactGrace.Days} days.",
        $"{options.ProductName}: the {changed} for your sign-in codes was changed.");

    /// <summary>An authenticator, passkey or recovery-code event; the text never carries a code.</summary>
    public AccountNotice FactorChanged(FactorNotice notice, int recoveryCodesLeft)
    {
        var product = options.ProductName;
        var (subject, body) = notice switch
        {
            FactorNotice.AuthenticatorEnrolled => ($"An authenticator app was added to your {product} account",
                $"An authenticator app can now be used to sign in to {product}, and a new set of recovery codes was created."),
            FactorNotice.AuthenticatorRemoved => ($"The authenticator app was removed from your {product} account",
                $"The authenticator app and the recovery codes of your {product} account were removed."),
            FactorNotice.ResetByAdmin => ($"Your {product} sign-in factors were reset",
                $"An administrator reset your {product} two-factor sign-in: your authenticator app, recovery codes and passkeys were removed and remembered devices forgotten."),
            FactorNotice.PasskeyAdded => ($"A passkey was added to your {product} account",
                $"A new passkey can now be used to sign in to {product}; devices remembered before were forgotten."),
            FactorNotice.PasskeyRemoved => ($"A passkey was removed from your {product} account",
                $"One of the passkeys of your {product} account was removed and can no longer be used to sign in."),
            FactorNotice.RecoveryCodeUsed => ($"A recovery code was used to sign in to {product}",
                string.Create(CultureInfo.InvariantCulture, $"One of your recovery codes was just used to sign in to {product}. {recoveryCodesLeft} of them are left; create a new set if you are running out.")),
            _ => ($"New recovery codes for your {product} account",
                $"A new set of recovery codes was created for your {product} account; the codes you had before no longer work."),
        };
        return new AccountNotice(subject, body, $"{product}: {subject.Replace($" {product}", "", StringComparison.Ordinal)}.");
    }

    /// <summary>
    /// The notice as an email, with the "this wasn't me" path: a link to the portal's report page when the deployment
    /// names one, otherwise the reference to give the support contact (an admin files it with the same endpoint).
    /// </summary>
    public EmailMessage Email(string to, DirectoryUser user, AccountNotice notice, string reportToken, string idempotencyKey)
    {
        var greeting = string.IsNullOrWhiteSpace(user.DisplayName) ? "Hello," : $"Hello {user.DisplayName},";
        var report = options.ChangeReportUrl is { } url
            ? $"Not you? Report it at {url}?tenantId={Uri.EscapeDataString(user.TenantId)}&userId={Uri.EscapeDataString(user.UserId)}&token={reportToken} : the account is locked at once and your administrators are alerted."
            : $"Not you? Contact {options.SupportContact} straight away and give them this reference: {reportToken}";
        var text = new StringBuilder()
            .AppendLine(greeting).AppendLine()
            .AppendLine(notice.Body).AppendLine()
            .AppendLine(report)
            .ToString();
        var html = $"""
            <!DOCTYPE html>
            <html><body style="font-family:Segoe UI,Arial,sans-serif;color:#222">
            <p>{CodeMessages.Enc(greeting)}</p>
            <p>{CodeMessages.Enc(notice.Body)}</p>
            <p>{CodeMessages.Enc(report)}</p>
            </body></html>
            """;
        return new EmailMessage(to, user.DisplayName, notice.Subject, text, html, idempotencyKey);
    }

    public SmsMessage Sms(string tenantId, string to, AccountNotice notice, string idempotencyKey) =>
        new(tenantId, to, $"{notice.SmsText} Not you? Contact {options.SupportContact} now.", idempotencyKey);

    /// <summary>To the tenant's admins and the platform's security address when a user reports a change they did not make.</summary>
    public EmailMessage ChangeReported(string to, DirectoryUser user, string idempotencyKey)
    {
        var subject = $"{options.ProductName}: a user reported a sign-in change they did not make";
        var body = $"User {user.UserId} ({user.DisplayName}) of company {user.TenantId} reported a change to their two-factor sign-in that they did not make. "
                   + "The account is locked and its remembered devices are forgotten. Check the audit log, restore the user's contacts, then reset the user's two-factor sign-in and unlock the account.";
        var html = $"""
            <!DOCTYPE html>
            <html><body style="font-family:Segoe UI,Arial,sans-serif;color:#222"><p>{CodeMessages.Enc(body)}</p></body></html>
            """;
        return new EmailMessage(to, null, subject, body, html, idempotencyKey);
    }
}

public enum FactorNotice
{
    AuthenticatorEnrolled,
    AuthenticatorRemoved,
    ResetByAdmin,
    RecoveryCodeUsed,
    RecoveryCodesRegenerated,
    PasskeyAdded,
    PasskeyRemoved,
}
