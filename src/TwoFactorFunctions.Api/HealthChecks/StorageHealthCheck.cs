using Microsoft.Extensions.Diagnostics.HealthChecks;
using TwoFactorFunctions.Api.Hosting;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.Api.HealthChecks;

/// <summary>Ready when the app's tables exist and a point read answers: every endpoint but health needs both.</summary>
public sealed class StorageHealthCheck(StorageInitializer initializer, TableStorage storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!initializer.Ready.IsCompleted)
        {
            return HealthCheckResult.Unhealthy("The tables are not created yet (storage unreachable since start).");
        }

        try
        {
            await TableStorage.GetOrNullAsync(storage.Tenants, "health", "", cancellationToken);
            return HealthCheckResult.Healthy("Table storage answers.");
        }
        catch (Exception ex) when (ExceptionProblems.IsStorageOutage(ex) || ex is Azure.RequestFailedException)
        {
            // The type only: a storage error message names the account and the request.
            return HealthCheckResult.Unhealthy($"Table storage is unreachable ({ex.GetType().Name}).");
        }
    }
}
