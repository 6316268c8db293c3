using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Core.Messaging;

/// <summary>Sends a code over a challenge's channel, for a user of <c>tenantId</c> (phone messages carry it).</summary>
public interface ICodeDelivery
{
    Task DeliverAsync(string tenantId, Channel channel, string destination, string? name, string code, int validMinutes,
        string idempotencyKey, CancellationToken cancellationToken);
}

/// <summary>Routes a code to the sender of its channel. Senders are optional so a deployment can offer email only.</summary>
public sealed class CodeDelivery(CodeMessages messages, IEmailSender email, ISmsSender? sms = null, IVoiceCaller? voice = null)
    : ICodeDelivery
{
    public Task DeliverAsync(string tenantId, Channel channel, string destination, string? name, string code, int validMinutes,
        string idempotencyKey, CancellationToken cancellationToken) => channel switch
    {
        Channel.Email => email.SendAsync(messages.Email(destination, name, code, validMinutes, idempotencyKey), cancellationToken),
        Channel.Sms => (sms ?? throw new DeliveryException("No SMS sender is configured."))
            .SendAsync(messages.Sms(tenantId, destination, code, validMinutes, idempotencyKey), cancellationToken),
        Channel.Voice => (voice ?? throw new DeliveryException("No voice caller is configured."))
            .CallAsync(messages.Voice(tenantId, destination, code, idempotencyKey), cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(channel)),
    };
}
