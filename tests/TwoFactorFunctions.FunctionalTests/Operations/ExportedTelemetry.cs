using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace TwoFactorFunctions.FunctionalTests.Operations;

/// <summary>What an app instance exported, through OpenTelemetry's in-memory exporters added next to the app's own.</summary>
public sealed class ExportedTelemetry
{
    private readonly List<Activity> _spans = [];
    private readonly List<MetricSnapshot> _metrics = [];
    private readonly List<LogRecord> _logs = [];
    private IServiceProvider? _services;

    public void Register(IServiceCollection services)
    {
        services.ConfigureOpenTelemetryTracerProvider(b => b.AddInMemoryExporter(_spans));
        services.ConfigureOpenTelemetryMeterProvider(b => b.AddInMemoryExporter(_metrics));
        services.ConfigureOpenTelemetryLoggerProvider(b => b.AddInMemoryExporter(_logs));
    }

    public void Attach(IServiceProvider services) => _services = services;

    /// <summary>Exports what is pending; the metrics list then holds one cumulative snapshot per instrument.</summary>
    public void Flush()
    {
        var services = _services ?? throw new InvalidOperationException("Attach the app's services first.");
        services.GetRequiredService<TracerProvider>().ForceFlush();
        services.GetRequiredService<LoggerProvider>().ForceFlush();
        lock (_metrics)
        {
            _metrics.Clear();
        }

        services.GetRequiredService<MeterProvider>().ForceFlush();
    }

    public IReadOnlyList<Activity> Spans
    {
        get
        {
            Flush();
            lock (_spans)
            {
                return [.. _spans];
            }
        }
    }

    /// <summary>The counter's (or histogram's count's) cumulative total over the points carrying all of <paramref name="tags"/>.</summary>
    public long Total(string instrument, params (string Key, string Value)[] tags)
    {
        Flush();
        long total = 0;
        foreach (var metric in _metrics.Where(m => m.Name == instrument))
        {
            foreach (var point in metric.MetricPoints)
            {
                var pointTags = new Dictionary<string, object?>();
                foreach (var tag in point.Tags)
                {
                    pointTags[tag.Key] = tag.Value;
                }

                if (tags.All(t => pointTags.TryGetValue(t.Key, out var v) && Equals(v?.ToString(), t.Value)))
                {
                    total += metric.MetricType == MetricType.Histogram ? point.GetHistogramCount() : point.GetSumLong();
                }
            }
        }

        return total;
    }

    /// <summary>Every string a telemetry backend would receive: span names, tags, events and statuses, metric tags, log text and attributes.</summary>
    public IReadOnlyList<string> AllText()
    {
        Flush();
        var text = new List<string>();
        foreach (var span in Spans)
        {
            text.Add(span.DisplayName);
            text.Add(span.StatusDescription ?? "");
            text.AddRange(span.TagObjects.Select(t => $"{t.Key}={t.Value}"));
            text.AddRange(span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name} {t.Key}={t.Value}")));
        }

        foreach (var metric in _metrics)
        {
            foreach (var point in metric.MetricPoints)
            {
                foreach (var tag in point.Tags)
                {
                    text.Add($"{metric.Name} {tag.Key}={tag.Value}");
                }
            }
        }

        lock (_logs)
        {
            foreach (var log in _logs)
            {
                text.Add(log.FormattedMessage ?? "");
                text.Add(log.Body ?? "");
                text.AddRange(log.Attributes?.Select(a => $"{a.Key}={a.Value}") ?? []);
                text.Add(log.Exception?.ToString() ?? "");
            }
        }

        return text;
    }

    public int LogCount
    {
        get
        {
            Flush();
            lock (_logs)
            {
                return _logs.Count;
            }
        }
    }
}
