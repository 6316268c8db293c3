using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TwoFactorFunctions.Api.HealthChecks;

public static class HealthRegistration
{
    public const string ReadyTag = "ready";

    /// <summary>Readiness checks (tag <see cref="ReadyTag"/>); liveness runs none: a live process answers.</summary>
    public static IServiceCollection AddTwoFactorHealthChecks(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(TaskHubName.From(config));

        // A probe must answer within its own timeout, whatever the storage client's retries would allow.
        var timeout = TimeSpan.FromSeconds(5);
        services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage", HealthStatus.Unhealthy, [ReadyTag], timeout)
            .AddCheck<TaskHubHealthCheck>("taskhub", HealthStatus.Unhealthy, [ReadyTag], timeout)
            .AddCheck<SendersHealthCheck>("senders", HealthStatus.Unhealthy, [ReadyTag], timeout);
        return services;
    }

    public static bool IsReadiness(HealthCheckRegistration registration) => registration.Tags.Contains(ReadyTag);
}
