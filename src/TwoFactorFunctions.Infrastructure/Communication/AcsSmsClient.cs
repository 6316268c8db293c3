using System.Text.Json;
using Azure.Core;
using TwoFactorFunctions.Core.Messaging;

namespace TwoFactorFunctions.Infrastructure.Communication;

/// <summary>
/// ACS SMS over REST: <c>POST /sms</c>. Idempotency lives in the body: each recipient carries a repeatability request
/// id (derived from the message's idempotency key) and the time of the first attempt.
/// </summary>
public sealed class AcsSmsClient(AcsPipeline acs)
{
    private const string Service = "sms";

    public static Guid RepeatabilityIdFor(SmsMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return AcsPipeline.IdempotencyId("sms", message.IdempotencyKey);
    }

    /// <summary>Sends one SMS; returns the ACS message id.</summary>
    public async Task<string> SendAsync(SmsMessage message, string from, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = new
        {
            from,
            smsRecipients = new[]
            {
                new
                {
                    to = message.To,
                    repeatabilityRequestId = RepeatabilityIdFor(message).ToString("D"),
                    // The first attempt's time when the caller knows it (a resend after a crash): ACS recognises a
                    // repeated request by its id and first-sent time together.
                    repeatabilityFirstSent = AcsHmacAuthenticationPolicy.FormatDate(message.FirstAttemptAt ?? acs.Time.GetUtcNow()),
                },
            },
            message = message.Text,
            smsSendOptions = new { enableDeliveryReport = false },
        };

        using var request = acs.CreateMessage(RequestMethod.Post, "/sms", acs.Options.SmsApiVersion, body);
        var response = await acs.SendAsync(request, Service, [202, 200], cancellationToken);

        // The request can be accepted while the recipient is refused (bad number, opted out): check the per-recipient result.
        using var doc = JsonDocument.Parse(response.Content.ToMemory());
        if (doc.RootElement.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0)
        {
            var result = value[0];
            var successful = result.TryGetProperty("successful", out var ok) && ok.ValueKind == JsonValueKind.True;
            var status = result.TryGetProperty("httpStatusCode", out var code) && code.TryGetInt32(out var c) ? c : 0;
            if (!successful)
            {
                // errorMessage is not used: it can quote the number.
                throw new DeliveryException($"Azure Communication Services (sms) refused the recipient ({status}).");
            }

            if (result.TryGetProperty("messageId", out var id) && id.ValueKind == JsonValueKind.String)
            {
                return id.GetString()!;
            }
        }

        return "";
    }
}
