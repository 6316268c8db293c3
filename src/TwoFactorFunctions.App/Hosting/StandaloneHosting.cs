using TwoFactorFunctions.Api.Hosting;
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
        services.AddValidatedOptions<DurableOptions>(builder.Configuration.GetSection("Durable"), o => o.Validate());
        services.AddSingleton<DurableTaskEngine>();
        services.AddHostedService(sp => sp.GetRequiredService<DurableTaskEngine>());
        services.AddSingleton<IEnrolmentEngine, TaskHubEnrolmentEngine>();
        services.AddHostedService<CleanupScheduler>();

        // Ctrl-C must stop the process within seconds: work in hand is abandoned and picked up again after a restart.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(8));

        if (builder.Environment.IsDevelopment() && builder.Configuration.GetValue<bool>("Demo:Seed"))
        {
            services.AddHostedService<DemoSeeder>();
        }

        return builder;
    }
}
