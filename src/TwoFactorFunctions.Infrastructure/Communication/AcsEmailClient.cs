using System.Text.Json;
using Azure.Core;
using TwoFactorFunctions.Core.Messaging;

namespace TwoFactorFunctions.Infrastructure.Communication;

/// <summary>Where an ACS email send operation stands (<c>GET /emails/operations/{id}</c>).</summary>
public sealed record AcsEmailStatus(string OperationId, string Status, string? ErrorCode, TimeSpan? RetryAfter)
{
    public bool IsTerminal => Status is "Succeeded" or "Failed" or "Canceled";
}

/// <summary>
/// ACS Email over REST: <c>POST /emails:send</c> with an <c>Operation-Id</c> derived from the message's idempotency key,
/// so a retried send (by the pipeline or by a re-run step) is the same operation to ACS.
/// </summary>
public sealed class AcsEmailClient(AcsPipeline acs)
{
    private const string Service = "email";

    public static Guid OperationIdFor(EmailMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return AcsPipeline.IdempotencyId("email", message.IdempotencyKey);
    }

    /// <summary>Queues the email; returns the operation id to poll. ACS answers 202 once it has accepted the message.</summary>
    public async Task<string> SendAsync(EmailMessage message, string senderAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = new
        {
            senderAddress,
            content = new { subject = message.Subject, plainText = message.PlainText, html = message.Html },
            recipients = new { to = new[] { new { address = message.To, displayName = message.ToName } } },
            // A sign-in code mail has no business carrying open or click tracking.
            userEngagementTrackingDisabled = true,
        };

        var operationId = OperationIdFor(message).ToString("D");
        using var request = acs.CreateMessage(RequestMethod.Post, "/emails:send", acs.Options.EmailApiVersion, body);
        request.Request.Headers.SetValue("Operation-Id", operationId);
        var response = await acs.SendAsync(request, Service, [202, 200], cancellationToken);

        // ACS echoes the id it used (ours, or the first send's when this was a duplicate).
        return ReadString(response, "id") ?? operationId;
    }

    public async Task<AcsEmailStatus> GetStatusAsync(string operationId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(operationId);
        using var request = acs.CreateMessage(RequestMethod.Get, "/emails/operations/" + Uri.EscapeDataString(operationId),
            acs.Options.EmailApiVersion, body: null);
        var response = await acs.SendAsync(request, Service, [200], cancellationToken);
        using var doc = JsonDocument.Parse(response.Content.ToMemory());
        var root = doc.RootElement;
        var status = root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "Unknown";
        string? errorCode = null;
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
            && error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String)
        {
            errorCode = code.GetString();
        }

        return new AcsEmailStatus(operationId, status, errorCode, acs.RetryAfter(response));
    }

    /// <summary>
    /// Polls until the operation is terminal or <paramref name="timeout"/> passes, waiting as long as ACS asks
    /// (Retry-After) and otherwise <paramref name="interval"/>. Returns the last status seen.
    /// </summary>
    public async Task<AcsEmailStatus> WaitUntilTerminalAsync(string operationId, TimeSpan interval, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = acs.Time.GetUtcNow() + timeout;
        while (true)
        {
            var status = await GetStatusAsync(operationId, cancellationToken);
            var now = acs.Time.GetUtcNow();
            if (status.IsTerminal || now >= deadline)
            {
                return status;
            }

            var wait = status.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero ? retryAfter : interval;
            if (now + wait > deadline)
            {
                wait = deadline - now;
            }

            await Task.Delay(wait, acs.Time, cancellationToken);
        }
    }

    private static string? ReadString(Azure.Response response, string property)
    {
        try
        {
            var content = response.Content.ToMemory();
            if (content.IsEmpty)
            {
                return null;
            }

            using var doc = JsonDocument.Parse(content);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(property, out var value)
                && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
