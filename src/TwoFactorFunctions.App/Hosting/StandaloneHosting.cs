using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using TwoFactorFunctions.Api.HealthChecks;
using TwoFactorFunctions.Api.Hosting;
using TwoFactorFunctions.App.DemoPortal;
using TwoFactorFunctions.App.Durable;
using TwoFactorFunctions.Core.Enrolment;

namespace TwoFactorFunctions.App.Hosting;

public static class StandaloneHosting
{
    /// <summary>
    /// What the Functions host provides to the function app, provided here instead: the Durable Task engine that runs
    /// the enrolment orchestration (the Durable extension's job there) and the cleanup schedule (the timer trigger's).
    /// </summary>
    public static WebApplicationBuilder AddStandaloneHosting(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<DurableOptions, DurableOptionsValidator>(builder.Configuration.GetSection(DurableOptions.Section));

        // The hub name is the one app setting both hosts read (host.json names it as %DurableHubName%), not a key of the section.
        var hub = TaskHubName.From(builder.Configuration);
        services.Configure<DurableOptions>(o => o.HubName = hub.Value);
        services.AddSingleton<DurableTaskEngine>();
        services.AddHostedService(sp => sp.GetRequiredService<DurableTaskEngine>());
        services.AddSingleton<IEnrolmentEngine, TaskHubEnrolmentEngine>();
        services.AddHostedService<CleanupScheduler>();

        // Ctrl-C must stop the process within seconds: work in hand is abandoned and picked up again after a restart.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(8));

        builder.AddTelemetryExporters();

        services.AddValidatedOptions<DemoPortalOptions, DemoPortalOptionsRules>(builder.Configuration.GetSection(DemoPortalOptions.Section));
        services.AddSingleton<DevIdentityProvider>();

        if (builder.Environment.IsDevelopment() && builder.Configuration.GetValue<bool>("Demo:Seed"))
        {
            services.AddHostedService<DemoSeeder>();
        }

        return builder;
    }

    /// <summary>
    /// OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> names a collector (the standard variables configure it), and the
    /// console when <c>Telemetry:Console</c> is on (Development's settings turn it on).
    /// </summary>
    private static void AddTelemetryExporters(this WebApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry();
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        if (builder.Configuration.GetValue<bool>("Telemetry:Console"))
        {
            var interval = builder.Configuration.GetValue("Telemetry:ConsoleMetricInterval", TimeSpan.FromSeconds(30));
            telemetry
                .WithTracing(t => t.AddConsoleExporter())
                .WithMetrics(m => m.AddConsoleExporter((_, reader) =>
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)interval.TotalMilliseconds));
        }
    }
}
