using System.Diagnostics;
using System.Diagnostics.Metrics;
using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Core.Telemetry;

/// <summary>
/// The service's own instruments and spans (meter and activity source <see cref="Name"/>). Tag values are always from a
/// closed set (channels, providers, stable error codes): never a code, token, address, number or id, so nothing an
/// operator's dashboard shows can identify a person, and the series count stays bounded.
/// </summary>
public sealed class TwoFactorTelemetry
{
    public const string Name = "TwoFactorFunctions";

    /// <summary>Spans for the steps HTTP and storage spans do not name: sending a code, an enrolment batch, a cleanup pass.</summary>
    public static readonly ActivitySource Source = new(Name);

    private readonly Counter<long> _codesSent;
    private readonly Counter<long> _verifications;
    private readonly Counter<long> _lockouts;
    private readonly Counter<long> _sendGuardRefusals;
    private readonly Histogram<double> _providerDuration;
    private readonly Counter<long> _providerFailures;
    private readonly Counter<long> _enrolmentUsers;
    private readonly Counter<long> _enrolmentBatchFailures;
    private readonly Counter<long> _cleanupRowsDeleted;

    public TwoFactorTelemetry(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(Name);
        _codesSent = meter.CreateCounter<long>("tff.codes.sent", "{code}", "One-time codes handed to a provider, by channel and outcome (sent, failed).");
        _verifications = meter.CreateCounter<long>("tff.verifications", "{verification}", "Code verifications by outcome: success or the error code returned.");
        _lockouts = meter.CreateCounter<long>("tff.lockouts", "{lockout}", "Accounts locked after too many wrong codes.");
        _sendGuardRefusals = meter.CreateCounter<long>("tff.send_guard.refusals", "{refusal}", "SMS and voice sends refused by the cost guard, by channel and reason.");
        _providerDuration = meter.CreateHistogram<double>("tff.provider.duration", "s", "Time a message provider took to accept (or refuse) one message.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _providerFailures = meter.CreateCounter<long>("tff.provider.failures", "{message}", "Messages a provider did not accept, by provider and channel.");
        _enrolmentUsers = meter.CreateCounter<long>("tff.enrolment.users", "{user}", "Users processed by enrolment runs, by outcome; its rate is users per second.");
        _enrolmentBatchFailures = meter.CreateCounter<long>("tff.enrolment.batch_failures", "{attempt}", "Enrolment batch attempts that failed (each is retried; the last one counts its users as failed).");
        _cleanupRowsDeleted = meter.CreateCounter<long>("tff.cleanup.rows_deleted", "{row}", "Expired codes, device trusts and counters removed by the cleanup schedule.");
    }

    public void CodeSent(Channel channel, bool delivered) =>
        _codesSent.Add(1, new("channel", ChannelTag(channel)), new("outcome", delivered ? "sent" : "failed"));

    /// <param name="outcome"><c>success</c>, or the stable error code the caller received.</param>
    public void Verification(string outcome) => _verifications.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Lockout() => _lockouts.Add(1);

    public void SendGuardRefusal(Channel channel, string reason) =>
        _sendGuardRefusals.Add(1, new("channel", ChannelTag(channel)), new("reason", reason));

    public void ProviderCall(string provider, Channel channel, TimeSpan duration, bool accepted)
    {
        var tags = new TagList { { "provider", provider }, { "channel", ChannelTag(channel) }, { "outcome", accepted ? "accepted" : "failed" } };
        _providerDuration.Record(duration.TotalSeconds, tags);
        if (!accepted)
        {
            _providerFailures.Add(1, new("provider", provider), new("channel", ChannelTag(channel)));
        }
    }

    public void EnrolmentUsers(string outcome, long count)
    {
        if (count > 0)
        {
            _enrolmentUsers.Add(count, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    public void EnrolmentBatchFailed() => _enrolmentBatchFailures.Add(1);

    public void CleanupRowsDeleted(long count) => _cleanupRowsDeleted.Add(count);

    public static string ChannelTag(Channel channel) => channel switch
    {
        Channel.Email => "email",
        Channel.Sms => "sms",
        Channel.Voice => "voice",
        _ => "unknown",
    };
}
