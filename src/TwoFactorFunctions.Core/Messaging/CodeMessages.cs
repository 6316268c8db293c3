using System.Globalization;
using System.Net;
using System.Text;
using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Core.Messaging;

/// <summary>The words of every message that carries a verification code, per channel.</summary>
public sealed class CodeMessages(MessagingOptions options)
{
    public EmailMessage Email(string to, string? name, string code, int validMinutes, string idempotencyKey)
    {
        var product = options.ProductName;
        var greeting = string.IsNullOrWhiteSpace(name) ? "Hello," : $"Hello {name},";
        var subject = $"{product} sign-in code";
        var text = new StringBuilder()
            .AppendLine(greeting)
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Someone, hopefully you, is signing in to {product}. To finish, enter this one-time code:")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"    {code}")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"The code works once and stops working {Minutes(validMinutes)} after it was sent.")
            .AppendLine("Nobody from our team will ever ask you for it.")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Not you? Do not share the code, and tell {options.SupportContact} straight away: your password may be known to someone else.")
            .AppendLine()
            .AppendLine("This message was sent automatically; replies are not read.")
            .ToString();

        var html = $"""
            <!DOCTYPE html>
            <html><body style="font-family:Segoe UI,Arial,sans-serif;color:#222">
            <h2>{Enc(product)} sign-in code</h2>
            <p>{Enc(greeting)}</p>
            <p>Someone, hopefully you, is signing in to {Enc(product)}. To finish, enter this one-time code:</p>
            <p style="font-size:28px;letter-spacing:6px;font-weight:bold">{Enc(code)}</p>
            <p>The code works once and stops working {Minutes(validMinutes)} after it was sent. Nobody from our team will ever ask you for it.</p>
            <p>Not you? Do not share the code, and tell {Enc(options.SupportContact)} straight away: your password may be known to someone else.</p>
            <p style="color:#777;font-size:12px">This message was sent automatically; replies are not read.</p>
            </body></html>
            """;
        return new EmailMessage(to, name, subject, text, html, idempotencyKey);
    }

    public SmsMessage Sms(string tenantId, string to, string code, int validMinutes, string idempotencyKey) =>
        new(tenantId, to, $"{options.ProductName}: your sign-in code is {code}. It expires in {Minutes(validMinutes)}. Never share it.", idempotencyKey);

    /// <summary>Reads the digits one by one with pauses, twice, so they can be written down from a phone call.</summary>
    public VoiceMessage Voice(string tenantId, string to, string code, string idempotencyKey)
    {
        var digits = string.Join(", ", code.Select(c => c.ToString()));
        var spoken = $"This is {options.ProductName}. Your sign-in code is: {digits}. Again, your code is: {digits}. Goodbye.";
        return new VoiceMessage(tenantId, to, spoken, idempotencyKey);
    }

    public static string ChannelName(Channel channel) => channel switch
    {
        Channel.Email => "email",
        Channel.Sms => "text message (SMS)",
        Channel.Voice => "phone call",
        _ => channel.ToString(),
    };

    internal static string Minutes(int minutes) => minutes == 1 ? "1 minute" : $"{minutes} minutes";

    internal static string Enc(string value) => WebUtility.HtmlEncode(value);
}
