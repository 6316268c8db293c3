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

    public SmsMessage ContactChangedSms(string oldPhone, string idempotencyKey) =>
        new(oldPhone, $"{options.ProductName}: the phone number for your sign-in codes was changed. Not you? Contact {options.SupportContact} now.", idempotencyKey);

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
