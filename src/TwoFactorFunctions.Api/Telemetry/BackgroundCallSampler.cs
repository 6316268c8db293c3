using OpenTelemetry.Trace;

namespace TwoFactorFunctions.Api.Telemetry;

/// <summary>
/// Drops outgoing calls that belong to no request or step: the Durable engine's queue and lease polling, a call a
/// second per partition around the clock, which would otherwise be most of the exported spans (and of the bill). A
/// storage call made while serving a request, an orchestration step or a cleanup pass has a parent and is kept.
/// </summary>
internal sealed class BackgroundCallSampler : Sampler
{
    private static readonly SamplingResult Keep = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        samplingParameters.Kind == System.Diagnostics.ActivityKind.Client && samplingParameters.ParentContext.TraceId == default ? Drop : Keep;
}
