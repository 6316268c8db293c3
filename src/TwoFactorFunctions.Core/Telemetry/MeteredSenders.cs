using System.Diagnostics;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Messaging;

namespace TwoFactorFunctions.Core.Telemetry;

/// <summary>
/// Times every message a provider is asked to take (codes, notices, summaries, alerts) and counts the ones it refused,
/// around whichever sender is configured: provider health is measured where the call is made, not inferred from codes.
/// </summary>
public sealed class MeteredSenders(TwoFactorTelemetry telemetry, TimeProvider time)
{
    public IEmailSender Email(IEmailSender inner, string provider) => new EmailSender(this, inner, provider);

    public ISmsSender Sms(ISmsSender inner, string provider) => new SmsSender(this, inner, provider);

    public IVoiceCaller Voice(IVoiceCaller inner, string provider) => new VoiceCaller(this, inner, provider);

    private async Task MeasureAsync(string provider, Channel channel, Func<Task> send)
    {
        using var span = TwoFactorTelemetry.Source.StartActivity("ProviderSend", ActivityKind.Client);
        span?.SetTag("tff.provider", provider);
        span?.SetTag("tff.channel", TwoFactorTelemetry.ChannelTag(channel));
        var started = time.GetTimestamp();
        try
        {
            await send();
            telemetry.ProviderCall(provider, channel, time.GetElapsedTime(started), accepted: true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            telemetry.ProviderCall(provider, channel, time.GetElapsedTime(started), accepted: false);

            // The type only: a provider's message can echo the recipient back.
            span?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }

    private sealed class EmailSender(MeteredSenders meter, IEmailSender inner, string provider) : IEmailSender
    {
        public Task SendAsync(EmailMessage message, CancellationToken cancellationToken) =>
            meter.MeasureAsync(provider, Channel.Email, () => inner.SendAsync(message, cancellationToken));
    }

    private sealed class SmsSender(MeteredSenders meter, ISmsSender inner, string provider) : ISmsSender
    {
        public Task SendAsync(SmsMessage message, CancellationToken cancellationToken) =>
            meter.MeasureAsync(provider, Channel.Sms, () => inner.SendAsync(message, cancellationToken));
    }

    private sealed class VoiceCaller(MeteredSenders meter, IVoiceCaller inner, string provider) : IVoiceCaller
    {
        public Task CallAsync(VoiceMessage message, CancellationToken cancellationToken) =>
            meter.MeasureAsync(provider, Channel.Voice, () => inner.CallAsync(message, cancellationToken));
    }
}
