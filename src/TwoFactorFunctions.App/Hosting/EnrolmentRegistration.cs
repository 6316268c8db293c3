using Microsoft.Extensions.DependencyInjection.Extensions;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Infrastructure.Enrolment;
using TwoFactorFunctions.Infrastructure.Queues;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.App.Hosting;

public static class EnrolmentRegistration
{
    /// <summary>
    /// Tenant 2FA settings and the enrolment engine: its stores and queues, the core services, and its five queue
    /// functions (run by the standalone listener, or by the Functions host through POST /{FunctionName}).
    /// </summary>
    public static WebApplicationBuilder AddEnrolment(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;

        services.AddValidatedOptions<EnrolmentOptions>(config.GetSection("Enrolment"), o => o.Validate());
        services.AddValidatedOptions<NoticeOptions>(config.GetSection("Notices"), o => o.Validate());

        // One poison threshold for the listener, host.json and the handlers that wind up on their last delivery.
        services.PostConfigure<EnrolmentOptions>(o => o.MaxDequeueCount = config.GetValue("Queues:MaxDequeueCount", o.MaxDequeueCount));

        // Also registered by the Functions hosting; one instance either way.
        services.TryAddSingleton<QueueStorage>();
        services.AddSingleton<IEnrolmentRunStore, TableEnrolmentRunStore>();
        services.AddSingleton<IEnrolmentDirectory, TableEnrolmentDirectory>();
        services.AddSingleton<IEnrolmentQueues, StorageEnrolmentQueues>();

        services.AddSingleton<EnrolmentEmails>();
        services.AddSingleton<NoticeRateLimiter>();
        services.AddSingleton<TenantSettingsService>();
        services.AddSingleton<EnrolmentPlanner>();
        services.AddSingleton<EnrolmentBatchWorker>();
        services.AddSingleton<EnrolmentSummarySender>();
        services.AddSingleton<NoticeSender>();

        services.AddSingleton<IQueueHandler, EnrolmentPlannerFunction>();
        services.AddSingleton<IQueueHandler, EnrolmentBatchFunction>();
        services.AddSingleton<IQueueHandler, EnrolmentBatchPoisonFunction>();
        services.AddSingleton<IQueueHandler, EnrolmentSummaryFunction>();
        services.AddSingleton<IQueueHandler, NoticeSenderFunction>();

        return builder;
    }
}
