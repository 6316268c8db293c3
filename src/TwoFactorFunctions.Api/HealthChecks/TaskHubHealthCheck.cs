using Azure.Storage.Queues;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TwoFactorFunctions.Api.Http;

namespace TwoFactorFunctions.Api.HealthChecks;

/// <summary>
/// The Durable task hub's name: one app setting, <c>DurableHubName</c>, for both hosts. It is a top-level name rather
/// than a key of the <c>Durable</c> section because the function app's host.json can only name an app setting
/// (<c>"hubName": "%DurableHubName%"</c>); the standalone engine reads the same setting into its options.
/// </summary>
public sealed record TaskHubName(string Value)
{
    public const string Setting = "DurableHubName";

    public const string Default = "TwoFactorFunctions";

    public static TaskHubName From(IConfiguration config) => new(config[Setting] ?? Default);
}

/// <summary>
/// Enrolment runs need the task hub: its work-item queue answering means the engine can take work. A hub the engine has
/// not created yet (first start) is degraded, not down: sign-ins do not need it.
/// </summary>
public sealed class TaskHubHealthCheck(QueueServiceClient queues, TaskHubName hub) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // The Azure Storage provider's naming: "{hub}-workitems", lower case.
            var workItems = queues.GetQueueClient($"{hub.Value.ToLowerInvariant()}-workitems");
            return (await workItems.ExistsAsync(cancellationToken)).Value
                ? HealthCheckResult.Healthy($"Task hub {hub.Value} answers.")
                : HealthCheckResult.Degraded($"Task hub {hub.Value} is not created yet; the Durable engine creates it when it starts.");
        }
        catch (Exception ex) when (ExceptionProblems.IsStorageOutage(ex) || ex is Azure.RequestFailedException)
        {
            return HealthCheckResult.Unhealthy($"Task hub {hub.Value} is unreachable ({ex.GetType().Name}).");
        }
    }
}
