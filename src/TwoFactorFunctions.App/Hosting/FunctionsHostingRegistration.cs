using TwoFactorFunctions.Infrastructure.Queues;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.App.Hosting;

public static class FunctionsHostingRegistration
{
    /// <summary>
    /// The non-HTTP functions and their two hostings. The handlers are the same either way; under the Functions host the
    /// host's queue and timer triggers invoke them (<see cref="Apis.FunctionInvocationsApi"/>), standalone the app's own
    /// queue listener and cleanup schedule do, so exactly one of the two is ever on.
    /// </summary>
    public static WebApplicationBuilder AddFunctionsHosting(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;

        services.AddValidatedOptions<CleanupOptions>(config.GetSection("Cleanup"), o => o.Validate());
        services.AddValidatedOptions<QueueListenerOptions>(config.GetSection("Queues"), o => o.Validate());

        // Read when the options are first resolved, i.e. after every configuration source (tests' included) is in.
        services.PostConfigure<CleanupOptions>(o => o.Enabled &= !CustomHandlerHosting.IsUnderFunctionsHost(config));
        services.PostConfigure<QueueListenerOptions>(o => o.Enabled &= !CustomHandlerHosting.IsUnderFunctionsHost(config));

        services.AddSingleton<ExpiredDataCleaner>();
        services.AddSingleton<QueueStorage>();
        services.AddHostedService<CleanupScheduler>();
        services.AddHostedService<QueueListener>();

        return builder;
    }
}
