namespace TwoFactorFunctions.Core.Messaging;

/// <summary>An email ready to send. <see cref="IdempotencyKey"/> lets a provider drop a retried duplicate.</summary>
public sealed record EmailMessage(string To, string? ToName, string Subject, string PlainText, string Html, string IdempotencyKey);

public sealed record SmsMessage(string To, string Text, string IdempotencyKey);

/// <summary>A call that speaks <see cref="SpokenText"/> to <see cref="To"/>.</summary>
public sealed record VoiceMessage(string To, string SpokenText, string IdempotencyKey);

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
