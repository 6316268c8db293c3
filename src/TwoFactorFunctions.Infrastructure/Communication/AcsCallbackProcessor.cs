using System.Text.Json;
using Microsoft.Extensions.Logging;
using TwoFactorFunctions.Core.Messaging;

namespace TwoFactorFunctions.Infrastructure.Communication;

/// <summary>One Call Automation event (a CloudEvent); <see cref="Type"/> without the <c>Microsoft.Communication.</c> prefix.</summary>
public sealed record AcsCallEvent(string Type, string? CallConnectionId, string? OperationContext)
{
    private const string Prefix = "Microsoft.Communication.";

    /// <summary>Reads the CloudEvents ACS posts: an array, or a single event.</summary>
    public static IReadOnlyList<AcsCallEvent> Parse(JsonElement root)
    {
        var events = new List<AcsCallEvent>();
        if (root.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in root.EnumerateArray())
            {
                Add(item);
            }
        }
        else
        {
            Add(root);
        }

        return events;

        void Add(JsonElement e)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                throw new JsonException("A Call Automation event needs a type.");
            }

            var name = type.GetString()!;
            var data = e.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
            events.Add(new AcsCallEvent(
                name.StartsWith(Prefix, StringComparison.Ordinal) ? name[Prefix.Length..] : name,
                String(data, "callConnectionId"),
                String(data, "operationContext")));
        }

        static string? String(JsonElement data, string name) =>
            data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }
}

/// <summary>
/// Drives a code call through its events: connected → speak the pending text; played (or failed to) → hang up and
/// forget the text; disconnected or never connected → forget the text.
/// </summary>
public sealed partial class AcsCallbackProcessor(AcsCallAutomationClient client, PendingCallStore pending, AcsOptions options,
    ILogger<AcsCallbackProcessor> logger)
{
    public async Task HandleAsync(IReadOnlyList<AcsCallEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var e in events)
        {
            await HandleAsync(e, cancellationToken);
        }
    }

    private async Task HandleAsync(AcsCallEvent e, CancellationToken cancellationToken)
    {
        var context = e.OperationContext ?? "";
        LogEvent(logger, e.Type, e.CallConnectionId ?? "-", PendingCallStore.IsValidId(context) ? context : "-");
        switch (e.Type)
        {
            case "CallConnected" when e.CallConnectionId is { } connectionId:
                var call = await pending.GetLiveAsync(context, cancellationToken);
                if (call is null)
                {
                    // Unknown, finished or expired: nothing worth saying on this call.
                    await HangUpAsync(connectionId, cancellationToken);
                    return;
                }

                try
                {
                    await client.PlayTextAsync(connectionId, call.Text, options.VoiceName, call.Id, cancellationToken);
                }
                catch (DeliveryException ex)
                {
                    LogPlayFailed(logger, ex.Message);
                    await HangUpAsync(connectionId, cancellationToken);
                    await pending.DeleteAsync(context, cancellationToken);
                }

                break;

            case "PlayCompleted" or "PlayFailed" or "PlayCanceled":
                if (e.CallConnectionId is { } playedOn)
                {
                    await HangUpAsync(playedOn, cancellationToken);
                }

                await pending.DeleteAsync(context, cancellationToken);
                break;

            case "CallDisconnected" or "CreateCallFailed":
                await pending.DeleteAsync(context, cancellationToken);
                break;
        }
    }

    private async Task HangUpAsync(string callConnectionId, CancellationToken cancellationToken)
    {
        try
        {
            await client.HangUpAsync(callConnectionId, cancellationToken);
        }
        catch (DeliveryException ex)
        {
            // The callee's phone ends the call anyway; a failed hang-up only costs a few seconds of line.
            LogHangUpFailed(logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "ACS call event {EventType} for call connection {CallConnectionId}, pending call {PendingCallId}")]
    private static partial void LogEvent(ILogger logger, string eventType, string callConnectionId, string pendingCallId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Playing the code into the call failed: {Reason}")]
    private static partial void LogPlayFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hanging up the code call failed: {Reason}")]
    private static partial void LogHangUpFailed(ILogger logger, string reason);
}
