using Microsoft.Extensions.Logging;
using TwoFactorFunctions.Core.Messaging;

namespace TwoFactorFunctions.Infrastructure.Communication;

/// <summary>Email through ACS. Accepted (202) is enough to report success; delivery is ACS's job from there.</summary>
public sealed partial class AcsEmailSender(AcsEmailClient client, AcsOptions options, ILogger<AcsEmailSender> logger) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var operationId = await client.SendAsync(message, options.EmailSender!, cancellationToken);
        LogQueued(logger, operationId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Email accepted by ACS as operation {OperationId}")]
    private static partial void LogQueued(ILogger logger, string operationId);
}

public sealed partial class AcsSmsSender(AcsSmsClient client, AcsOptions options, ILogger<AcsSmsSender> logger) : ISmsSender
{
    public async Task SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        var messageId = await client.SendAsync(message, options.SmsFrom!, cancellationToken);
        LogSent(logger, messageId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SMS accepted by ACS as message {MessageId}")]
    private static partial void LogSent(ILogger logger, string messageId);
}

/// <summary>
/// A code call: the spoken text waits in a pending-call row and is played only when ACS reports the call connected
/// (see <see cref="AcsCallbackProcessor"/>). The call request itself carries only the row's id, so the code is never
/// in a URL, an operation context or a log.
/// </summary>
public sealed partial class AcsVoiceCaller(AcsCallAutomationClient client, PendingCallStore pending, AcsOptions options,
    ILogger<AcsVoiceCaller> logger) : IVoiceCaller
{
    public async Task CallAsync(VoiceMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);

        // Derived from the idempotency key: a retried send reuses the row and the repeatability id, so ACS places one call.
        var callId = AcsPipeline.IdempotencyId("call", message.IdempotencyKey);
        var pendingId = callId.ToString("N");
        await pending.SaveAsync(pendingId, message.SpokenText, cancellationToken);
        try
        {
            var connectionId = await client.CreateCallAsync(message.To, options.CallerId!, options.CallbackUri, pendingId,
                options.CognitiveServicesEndpoint, callId, cancellationToken);
            LogPlaced(logger, connectionId, pendingId);
        }
        catch (DeliveryException)
        {
            await pending.DeleteAsync(pendingId, CancellationToken.None);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Code call placed with ACS: call connection {CallConnectionId}, pending call {PendingCallId}")]
    private static partial void LogPlaced(ILogger logger, string callConnectionId, string pendingCallId);
}
