using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TwoFactorFunctions.Api.Hosting.Options;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Infrastructure.Storage;
using TwoFactorFunctions.Workflows.Enrolment;

namespace TwoFactorFunctions.Api.Hosting;

public static class EnrolmentRegistration
{
    /// <summary>
    /// Tenant 2FA settings and the enrolment steps: their stores, the core services and the orchestration's activity
    /// classes. Which engine runs the orchestration (<see cref="IEnrolmentEngine"/>) is the host's to register.
    /// </summary>
    public static IHostApplicationBuilder AddEnrolment(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;

        services.AddValidatedOptions<EnrolmentOptions, EnrolmentOptionsValidator>(config.GetSection(EnrolmentOptions.Section))
            .AddOptionsValidator<EnrolmentOptions, EnrolmentOptionsRules>();
        services.AddValidatedOptions<NoticeOptions, NoticeOptionsValidator>(config.GetSection(NoticeOptions.Section));

        services.AddSingleton<IEnrolmentRunStore, TableEnrolmentRunStore>();
        services.AddSingleton<IEnrolmentDirectory, TableEnrolmentDirectory>();
        services.AddSingleton<EnrolmentEmails>();
        services.AddSingleton<NoticeRateLimiter>();
        services.AddSingleton<EnrolmentRunSupervisor>();
        services.AddSingleton<TenantSettingsService>();
        services.AddSingleton<TenantSettingsUpdater>();
        services.AddSingleton<EnrolmentBatchWorker>();
        services.AddSingleton<EnrolmentSummarySender>();
        services.AddSingleton<NoticeSender>();
        foreach (var activity in EnrolmentWorkflow.Activities)
        {
            services.AddSingleton(activity);
        }

        return builder;
    }
}
