using System.Globalization;
using System.Text;
using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Core.Messaging;

/// <summary>Out-of-band notices sent when a user's factors change, so a change the user did not make is noticed.</summary>
public sealed class AccountNotices(MessagingOptions options)
{
    public EmailMessage TwoFactorChanged(DirectoryUser user, bool enabled, string idempotencyKey)
    {
        var product = options.ProductName;
        var subject = enabled ? $"Two-factor sign-in is now on for your {product} account" : $"Two-factor sign-in was turned off for your {product} account";
        var body = enabled
            ? $"From now on, signing in to {product} needs a one-time code in addition to your password."
            : $"Signing in to {product} no longer needs a one-time code.";
        return Build(user.Email!, user.DisplayName, subject, body, idempotencyKey);
    }

    public EmailMessage ContactChangedEmail(string oldEmail, DirectoryUser user, string changed, string idempotencyKey) =>
        Build(oldEmail, user.DisplayName, $"Your {options.ProductName} {changed} was changed",
            $"The {changed} used for your {options.ProductName} sign-in codes was just changed. This address will no longer receive them.", idempotencyKey);

    public SmsMessage ContactChangedSms(string tenantId, string oldPhone, string idempotencyKey) =>
        new(tenantId, oldPhone, $"{options.ProductName}: the phone number for your sign-in codes was changed. Not you? Contact {options.SupportContact} now.", idempotencyKey);

    public string ProductName => options.ProductName;

    /// <summary>An authenticator or recovery-code event; the text never carries a code.</summary>
    public EmailMessage FactorChanged(DirectoryUser user, FactorNotice notice, int recoveryCodesLeft, string idempotencyKey)
    {
        var product = options.ProductName;
        var (subject, body) = notice switch
        {
            FactorNotice.AuthenticatorEnrolled => ($"An authenticator app was added to your {product} account",
                $"An authenticator app can now be used to sign in to {product}, and a new set of recovery codes was created."),
            FactorNotice.AuthenticatorRemoved => ($"The authenticator app was removed from your {product} account",
                $"The authenticator app and the recovery codes of your {product} account were removed."),
            FactorNotice.ResetByAdmin => ($"Your {product} sign-in factors were reset",
                $"An administrator reset your {product} two-factor sign-in: your authenticator app and recovery codes were removed and remembered devices forgotten."),
            FactorNotice.RecoveryCodeUsed => ($"A recovery code was used to sign in to {product}",
                string.Create(CultureInfo.InvariantCulture, $"One of your recovery codes was just used to sign in to {product}. {recoveryCodesLeft} of them are left; create a new set if you are running out.")),
            _ => ($"New recovery codes for your {product} account",
                $"A new set of recovery codes was created for your {product} account; the codes you had before no longer work."),
        };
        return Build(user.Email!, user.DisplayName, subject, body, idempotencyKey);
    }

    private EmailMessage Build(string to, string? name, string subject, string body, string idempotencyKey)
    {
        var greeting = string.IsNullOrWhiteSpace(name) ? "Hello," : $"Hello {name},";
        var text = new StringBuilder()
            .AppendLine(greeting).AppendLine()
            .AppendLine(body).AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"If you did not make this change, contact {options.SupportContact} straight away.")
            .ToString();
        var html = $"""
            <!DOCTYPE html>
            <html><body style="font-family:Segoe UI,Arial,sans-serif;color:#222">
            <p>{CodeMessages.Enc(greeting)}</p>
            <p>{CodeMessages.Enc(body)}</p>
            <p>If you did not make this change, contact {CodeMessages.Enc(options.SupportContact)} straight away.</p>
            </body></html>
            """;
        return new EmailMessage(to, name, subject, text, html, idempotencyKey);
    }
}

public enum FactorNotice
{
    AuthenticatorEnrolled,
    AuthenticatorRemoved,
    ResetByAdmin,
    RecoveryCodeUsed,
    RecoveryCodesRegenerated,
}
