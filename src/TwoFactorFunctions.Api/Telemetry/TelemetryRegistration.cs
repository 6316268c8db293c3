using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TwoFactorFunctions.Core.Telemetry;

namespace TwoFactorFunctions.Api.Telemetry;

public static class TelemetryRegistration
{
    /// <summary>The Azure SDK's spans (Table Storage, Queue Storage, the ACS pipeline, identity) are opt-in.</summary>
    private const string AzureSdkActivitySwitch = "Azure.Experimental.EnableActivitySource";

    /// <summary>
    /// What both hosts trace and measure: the service's own spans and instruments, incoming HTTP, the Azure SDK's
    /// calls and the Durable Task engine's orchestration and activity spans, with logs exported alongside (correlated
    /// by trace id). Where it goes is each host's choice: Azure Monitor in the function app, OTLP or the console
    /// standalone.
    /// </summary>
    public static IOpenTelemetryBuilder AddTwoFactorTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AppContext.SetSwitch(AzureSdkActivitySwitch, true);
        builder.Services.AddSingleton<TwoFactorTelemetry>();
        builder.Services.AddSingleton<Core.Telemetry.MeteredSenders>();

        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeFormattedMessage = true;
            o.IncludeScopes = true;
        });

        return builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["Telemetry:ServiceName"] ?? TwoFactorTelemetry.Name))
            .WithTracing(tracing => tracing
                // First, so every exporter added after it sees only redacted spans.
                .AddProcessor<RedactingProcessor>()
                .AddSource(TwoFactorTelemetry.Name, "Azure.*", "DurableTask.Core")
                .SetSampler(new ParentBasedSampler(new BackgroundCallSampler()))

                // Probes arrive every few seconds from the platform and say nothing about what users do.
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/api/health")))
            .WithMetrics(metrics => metrics
                .AddMeter(TwoFactorTelemetry.Name, "System.Runtime")
                .AddAspNetCoreInstrumentation());
    }
}
