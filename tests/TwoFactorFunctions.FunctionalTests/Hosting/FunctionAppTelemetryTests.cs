extern alias FunctionApp;

using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using TwoFactorFunctions.Api.Hosting;
using TwoFactorFunctions.Core.Telemetry;
using FunctionApp::TwoFactorFunctions.FunctionApp.Hosting;

namespace TwoFactorFunctions.FunctionalTests.Hosting;

/// <summary>
/// The function app's telemetry registration with a connection string, as infra sets it: traces, metrics and logs
/// leave through the Azure Monitor exporter to the ingestion endpoint the string names (here a local listener that
/// records what arrives, since no Application Insights is reachable from here).
/// </summary>
[Collection(HostingGroup.Name)]
public sealed partial class FunctionAppTelemetryTests(HostingAzurite azurite)
{
    [Fact]
    public async Task ConnectionStringSet_SpansMetricsAndLogsArriveAtTheIngestionEndpoint()
    {
        var received = new ConcurrentQueue<(string Path, string Body)>();
        await using var ingestion = await StartIngestionAsync(received);
        var marker = "probe" + Guid.NewGuid().ToString("N");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Storage:Prefix"] = HostingAzurite.NewPrefix(),
            ["TwoFactor:CodeHashSecret"] = Convert.ToBase64String(new byte[32]),
            ["FunctionKeys:Keys:0:Name"] = "portal",
            ["FunctionKeys:Keys:0:Sha256"] = Convert.ToBase64String(new byte[32]),
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] =
                $"InstrumentationKey=00000000-0000-0000-0000-00000000a11e;IngestionEndpoint={ingestion.Urls.First()}/",
        });
        builder.AddTwoFactorServices();
        builder.AddFunctionAppTelemetry();

        // The exporter's own default keeps 5 traces a second; the other collections' apps, running alongside and seen by
        // the same process-wide listener, could use them up before the probe.
        builder.Services.Configure<Azure.Monitor.OpenTelemetry.Exporter.AzureMonitorExporterOptions>(o => (o.TracesPerSecond, o.SamplingRatio) = (null, 1F));
        using var host = builder.Build();
        await host.StartAsync();

        using (TwoFactorTelemetry.Source.StartActivity(marker))
        {
            host.Services.GetRequiredService<TwoFactorTelemetry>().CleanupRowsDeleted(7);
            LogProbe(host.Services.GetRequiredService<ILogger<FunctionAppTelemetryTests>>(), marker);
        }

        host.Services.GetRequiredService<TracerProvider>().ForceFlush();
        host.Services.GetRequiredService<MeterProvider>().ForceFlush();
        host.Services.GetRequiredService<LoggerProvider>().ForceFlush();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        string All() => string.Join("\n", received.Select(r => r.Body));
        while (!(All().Contains(marker + "\"", StringComparison.Ordinal) && All().Contains("Telemetry probe", StringComparison.Ordinal)
                 && All().Contains("tff.cleanup.rows_deleted", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        await host.StopAsync();
        Assert.All(received, r => Assert.EndsWith("/v2.1/track", r.Path, StringComparison.Ordinal));
        var all = All();
        Assert.Contains("00000000-0000-0000-0000-00000000a11e", all, StringComparison.Ordinal);
        Assert.Contains(marker + "\"", all, StringComparison.Ordinal);
        Assert.Contains("Telemetry probe", all, StringComparison.Ordinal);
        Assert.Contains("tff.cleanup.rows_deleted", all, StringComparison.Ordinal);
    }

    /// <summary>Answers as the ingestion service does (200 with every item accepted) and keeps each body, un-gzipped.</summary>
    private static async Task<WebApplication> StartIngestionAsync(ConcurrentQueue<(string Path, string Body)> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(async context =>
        {
            var body = context.Request.Headers.ContentEncoding == "gzip"
                ? new GZipStream(context.Request.Body, CompressionMode.Decompress)
                : context.Request.Body;
            var text = await new StreamReader(body).ReadToEndAsync();
            received.Enqueue((context.Request.Path.Value ?? "", text));
            var items = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            await context.Response.WriteAsJsonAsync(new { itemsReceived = items, itemsAccepted = items, errors = Array.Empty<object>() });
        });
        await app.StartAsync();
        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telemetry probe {Marker}")]
    private static partial void LogProbe(ILogger logger, string marker);
}
