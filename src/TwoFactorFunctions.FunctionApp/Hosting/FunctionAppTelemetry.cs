using Azure.Core;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;

namespace TwoFactorFunctions.FunctionApp.Hosting;

public static class FunctionAppTelemetry
{
    /// <summary>
    /// The worker's spans join the host's invocation trace (host.json sets <c>telemetryMode</c> to OpenTelemetry), and
    /// Application Insights receives traces, metrics and logs when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set.
    /// With <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> (Entra ingestion, as infra deploys it: the resource has
    /// local auth off) the exporter signs in as the app's identity.
    /// </summary>
    public static IHostApplicationBuilder AddFunctionAppTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var telemetry = builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
        if (!string.IsNullOrWhiteSpace(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
        {
            telemetry.UseAzureMonitorExporter();
            if (!string.IsNullOrWhiteSpace(builder.Configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]))
            {
                builder.Services.AddOptions<AzureMonitorExporterOptions>()
                    .Configure<TokenCredential>((o, credential) => o.Credential = credential);
            }
        }

        return builder;
    }
}
