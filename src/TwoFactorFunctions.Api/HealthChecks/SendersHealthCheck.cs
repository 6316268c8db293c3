using Microsoft.Extensions.Diagnostics.HealthChecks;
using TwoFactorFunctions.Api.Hosting;
using TwoFactorFunctions.Core.Messaging;

namespace TwoFactorFunctions.Api.HealthChecks;

/// <summary>
/// Which providers deliver codes, as configured (settings were validated at start). Phone channels without a sender are
/// reported degraded: tenants on SMS or voice cannot be challenged by this deployment.
/// </summary>
public sealed class SendersHealthCheck(MessageProviderOptions providers, IServiceProvider services, IHostEnvironment environment) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var phone = providers.PhoneProvider ?? (environment.IsDevelopment() ? PhoneProvider.DevOutbox : PhoneProvider.None);
        var data = new Dictionary<string, object> { ["email"] = providers.EmailProvider.ToString(), ["phone"] = phone.ToString() };
        var description = $"Email by {providers.EmailProvider}; SMS and voice by {phone}.";
        if (services.GetService<IEmailSender>() is null)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("No email sender is registered.", data: data));
        }

        return Task.FromResult(services.GetService<ISmsSender>() is null
            ? HealthCheckResult.Degraded(description, data: data)
            : HealthCheckResult.Healthy(description, data: data));
    }
}
