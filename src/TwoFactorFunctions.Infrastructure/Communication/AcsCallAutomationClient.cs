using System.Text.Json;
using Azure.Core;

namespace TwoFactorFunctions.Infrastructure.Communication;

/// <summary>
/// The slice of ACS Call Automation a code call needs: place a PSTN call, play text-to-speech into it once connected,
/// and end it. Requests that create or end calls carry repeatability headers so retries are safe.
/// </summary>
public sealed class AcsCallAutomationClient(AcsPipeline acs)
{
    private const string Service = "call automation";

    /// <summary>
    /// Places a call from <paramref name="from"/> (an ACS number) to <paramref name="to"/>; ACS reports progress to
    /// <paramref name="callbackUri"/> with <paramref name="operationContext"/>. Returns the call connection id.
    /// </summary>
    public async Task<string> CreateCallAsync(string to, string from, Uri callbackUri, string operationContext, Uri? cognitiveServicesEndpoint,
        Guid repeatabilityRequestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(callbackUri);
        var body = new
        {
            targets = new[] { new { kind = "phoneNumber", rawId = "4:" + to, phoneNumber = new { value = to, isAnonymous = false } } },
            sourceCallerIdNumber = new { value = from, isAnonymous = false },
            operationContext,
            callbackUri = callbackUri.AbsoluteUri,
            callIntelligenceOptions = cognitiveServicesEndpoint is null ? null : new { cognitiveServicesEndpoint = cognitiveServicesEndpoint.AbsoluteUri },
        };

        using var request = acs.CreateMessage(RequestMethod.Post, "/calling/callConnections", acs.Options.CallAutomationApiVersion, body);
        acs.AddRepeatability(request, repeatabilityRequestId);
        var response = await acs.SendAsync(request, Service, [201, 200], cancellationToken);
        using var doc = JsonDocument.Parse(response.Content.ToMemory());
        return doc.RootElement.TryGetProperty("callConnectionId", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()!
            : throw new Core.Messaging.DeliveryException("Azure Communication Services (call automation) answered without a call connection id.");
    }

    /// <summary>Speaks <paramref name="text"/> to everyone on the call (text-to-speech needs a connected Azure AI resource).</summary>
    public async Task PlayTextAsync(string callConnectionId, string text, string? voiceName, string operationContext, CancellationToken cancellationToken)
    {
        var body = new
        {
            playSources = new[] { new { kind = "text", text = new { text, voiceName } } },
            playTo = Array.Empty<object>(),
            playOptions = new { loop = false },
            operationContext,
        };

        using var request = acs.CreateMessage(RequestMethod.Post, CallPath(callConnectionId, ":play"), acs.Options.CallAutomationApiVersion, body);
        await acs.SendAsync(request, Service, [202, 200], cancellationToken);
    }

    /// <summary>Ends the call for everyone. A call that is already gone counts as ended.</summary>
    public async Task HangUpAsync(string callConnectionId, CancellationToken cancellationToken)
    {
        using var request = acs.CreateMessage(RequestMethod.Post, CallPath(callConnectionId, ":terminate"), acs.Options.CallAutomationApiVersion, body: null);
        acs.AddRepeatability(request, Guid.NewGuid());
        await acs.SendAsync(request, Service, [204, 200, 202, 404], cancellationToken);
    }

    private static string CallPath(string callConnectionId, string action)
    {
        ArgumentException.ThrowIfNullOrEmpty(callConnectionId);
        return "/calling/callConnections/" + Uri.EscapeDataString(callConnectionId) + action;
    }
}
