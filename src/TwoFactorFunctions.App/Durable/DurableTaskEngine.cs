using Azure.Core;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker.Shims;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Infrastructure.Storage;
using TwoFactorFunctions.Workflows.Enrolment;

namespace TwoFactorFunctions.App.Durable;

/// <summary>
/// The Durable Task Framework over Azure Storage (<see cref="AzureStorageOrchestrationService"/>): the engine Durable
/// Functions itself runs on, with the same task hub layout. The orchestrator and activity classes are the ones the
/// function app wraps; the public shims of Microsoft.DurableTask adapt them to the framework.
/// </summary>
public sealed partial class DurableTaskEngine : BackgroundService
{
    private readonly IServiceProvider _services;
    private readonly DurableOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<DurableTaskEngine> _logger;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskHubWorker? _worker;

    public DurableTaskEngine(IServiceProvider services, DurableOptions options, StorageConnection storage, TokenCredential credential,
        ILoggerFactory loggers, ILogger<DurableTaskEngine> logger)
    {
        _services = services;
        _options = options;
        _loggers = loggers;
        _logger = logger;
        Service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = options.HubName,
            PartitionCount = options.PartitionCount,
            StorageAccountClientProvider = storage.UsesConnectionString
                ? new StorageAccountClientProvider(storage.ConnectionString!)
                : new StorageAccountClientProvider(storage.BlobEndpoint, storage.QueueEndpoint, storage.TableEndpoint, credential),
            UseTablePartitionManagement = true,
            MaxQueuePollingInterval = options.MaxQueuePollingInterval,
            WorkItemQueueVisibilityTimeout = options.VisibilityTimeout,
            ControlQueueVisibilityTimeout = options.VisibilityTimeout,
            MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentActivities,
            MaxConcurrentTaskOrchestrationWorkItems = options.MaxConcurrentOrchestrations,
            ExtendedSessionsEnabled = options.ExtendedSessions,
            ExtendedSessionIdleTimeout = TimeSpan.FromSeconds(30),

            // A second start of a run's instance must fail loudly, not be dropped in silence.
            ThrowExceptionOnInvalidDedupeStatus = true,
            WorkerId = $"{Environment.MachineName}-{Environment.ProcessId}",
            LoggerFactory = loggers,
        });
        Client = new TaskHubClient(Service, new SystemTextJsonConverter(), loggers);
    }

    public AzureStorageOrchestrationService Service { get; }

    /// <summary>Schedules and queries with the worker's own System.Text.Json converter, so both sides read each other.</summary>
    public TaskHubClient Client { get; }

    /// <summary>Completes once the task hub exists (and the worker runs, when enabled).</summary>
    public Task Ready => _ready.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                await Service.CreateIfNotExistsAsync();
                break;
            }
            catch (Exception ex) when (ExceptionProblems.IsStorageOutage(ex) || ex is Azure.RequestFailedException)
            {
                // Storage down at start: keep trying; the API answers 503 meanwhile.
                LogNotReady(_logger, ex.GetType().Name, delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }

        if (_options.WorkerEnabled)
        {
            var worker = new TaskHubWorker(Service, _loggers);
            var shims = DurableTaskShimFactory.Default;
            worker.AddTaskOrchestrations(new ShimCreator<TaskOrchestration>(EnrolmentWorkflow.Orchestrator,
                () => shims.CreateOrchestration(EnrolmentWorkflow.Orchestrator, new EnrolmentOrchestrator())));
            worker.AddTaskActivities(EnrolmentWorkflow.Activities
                .Select(type => new ShimCreator<TaskActivity>(type.Name,
                    () => shims.CreateActivity(type.Name, (ITaskActivity)_services.GetRequiredService(type))))
                .ToArray<ObjectCreator<TaskActivity>>());
            await worker.StartAsync();
            _worker = worker;
            LogStarted(_logger, _options.HubName);
        }

        _ready.TrySetResult();
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_worker is { } worker)
        {
            try
            {
                // Not forced: work items in hand finish or are abandoned, so their messages come back without waiting out a lock.
                await worker.StopAsync(isForced: false).WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Out of shutdown time (storage unreachable, say): what was in hand reappears after the visibility timeout.
                LogStopAbandoned(_logger, _options.VisibilityTimeout);
            }
        }

        await base.StopAsync(cancellationToken);
    }

    /// <summary>The framework's client speaks Newtonsoft by default; the shims' workers speak System.Text.Json.</summary>
    private sealed class SystemTextJsonConverter : DurableTask.Core.Serializing.DataConverter
    {
        private static readonly DataConverter Inner = Microsoft.DurableTask.Converters.JsonDataConverter.Default;

        public override string? Serialize(object value) => Inner.Serialize(value);

        public override string? Serialize(object value, bool formatted) => Inner.Serialize(value);

        public override object? Deserialize(string data, Type objectType) => Inner.Deserialize(data, objectType);
    }

    /// <summary>Registers a shim under a name; the framework asks for a fresh one per orchestration episode or activity call.</summary>
    private sealed class ShimCreator<T> : ObjectCreator<T>
    {
        private readonly Func<T> _create;

        public ShimCreator(string name, Func<T> create)
        {
            Name = name;
            Version = string.Empty;
            _create = create;
        }

        public override T Create() => _create();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task hub not reachable yet ({ErrorType}); retrying in {Delay}")]
    private static partial void LogNotReady(ILogger logger, string errorType, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Durable Task worker did not stop in time; work in hand is picked up again within {VisibilityTimeout}")]
    private static partial void LogStopAbandoned(ILogger logger, TimeSpan visibilityTimeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Durable Task worker started on task hub {HubName}")]
    private static partial void LogStarted(ILogger logger, string hubName);
}
