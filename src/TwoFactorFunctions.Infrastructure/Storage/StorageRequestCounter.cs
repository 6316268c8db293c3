using System.Diagnostics.Metrics;
using Azure.Core;
using Azure.Core.Pipeline;
using TwoFactorFunctions.Core.Telemetry;

namespace TwoFactorFunctions.Infrastructure.Storage;

/// <summary>
/// Counts every request the app's Table Storage client sends. Each one is a billed transaction and a round trip, so
/// requests per sign-in is the figure the storage layout is judged by (issue 22), in the benchmark and in production.
/// </summary>
/// <remarks>
/// Added at <see cref="HttpPipelinePosition.PerRetry"/>, behind the retry policy: a retried request is sent again and
/// billed again, so it counts again. One instance per process (a DI singleton), so the total covers every table
/// client the service client hands out. The same count feeds <c>tff.storage.requests</c> on the service's meter
/// (<see cref="TwoFactorTelemetry.Name"/>, which the telemetry registration already exports).
/// </remarks>
public sealed class StorageRequestCounter : HttpPipelineSynchronousPolicy
{
    private readonly Counter<long> _requests;
    private long _total;

    public StorageRequestCounter(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);

        // The factory hands back the meter TwoFactorTelemetry created under the same name (it caches by name), so this
        // instrument is exported with the others without a second registration.
        _requests = meters.Create(TwoFactorTelemetry.Name)
            .CreateCounter<long>("tff.storage.requests", "{request}", "Requests sent to Table Storage, retries included: each is a billed transaction.");
    }

    /// <summary>Requests sent since the process started.</summary>
    public long Total => Interlocked.Read(ref _total);

    public override void OnSendingRequest(HttpMessage message)
    {
        Interlocked.Increment(ref _total);
        _requests.Add(1);
    }
}
