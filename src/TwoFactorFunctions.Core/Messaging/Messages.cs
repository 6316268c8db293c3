namespace TwoFactorFunctions.Core.Messaging;

/// <summary>An email ready to send. <see cref="IdempotencyKey"/> lets a provider drop a retried duplicate.</summary>
/// <param name="FirstAttemptAt">
/// When this logical message was first handed to a provider, for a send that may be repeated after a crash: a resend
/// then carries the first attempt's time (SMTP Date) as well as its id, so it is the same message to the receiver.
/// Null: now.
/// </param>
public sealed record EmailMessage(string To, string? ToName, string Subject, string PlainText, string Html, string IdempotencyKey,
    DateTimeOffset? FirstAttemptAt = null);

/// <summary>
/// A text message. <see cref="TenantId"/> says whose message it is (the dev outbox files it per tenant; ACS may tag
/// it), never a secret. <see cref="FirstAttemptAt"/> as for <see cref="EmailMessage"/> (ACS repeatability-first-sent).
/// </summary>
public sealed record SmsMessage(string TenantId, string To, string Text, string IdempotencyKey, DateTimeOffset? FirstAttemptAt = null);

/// <summary>A call that speaks <see cref="SpokenText"/> to <see cref="To"/>, for <see cref="TenantId"/>'s user.</summary>
public sealed record VoiceMessage(string TenantId, string To, string SpokenText, string IdempotencyKey);

public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}

public interface ISmsSender
{
    Task SendAsync(SmsMessage message, CancellationToken cancellationToken);
}

public interface IVoiceCaller
{
    Task CallAsync(VoiceMessage message, CancellationToken cancellationToken);
}

/// <summary>A provider could not take the message (down, refused, or throttled). Never carries message content.</summary>
public sealed class DeliveryException : Exception
{
    public DeliveryException(string message, Exception? inner = null, TimeSpan? retryAfter = null)
        : base(message, inner) => RetryAfter = retryAfter;

    public DeliveryException()
    {
    }

    public DeliveryException(string message)
        : base(message)
    {
    }

    public DeliveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Set when the provider said when to come back (HTTP 429 Retry-After).</summary>
    public TimeSpan? RetryAfter { get; }
}
