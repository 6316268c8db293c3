using TwoFactorFunctions.Api.HealthChecks;
using TwoFactorFunctions.Api.Hosting.Options;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Api.Telemetry;
using TwoFactorFunctions.Core.Accounts;
using TwoFactorFunctions.Core.Actions;
using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Devices;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;
using TwoFactorFunctions.Infrastructure.Messaging;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.Api.Hosting;

public static class ServiceRegistration
{
    public static IHostApplicationBuilder AddTwoFactorServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;

        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.Id ?? c.HttpContext.TraceIdentifier;

            // The framework's own answers (no such route, a method or media type the route does not take) get a code
            // too, so a client can switch on `code` for every problem this API sends.
            c.ProblemDetails.Extensions.TryAdd("code", c.ProblemDetails.Status switch
            {
                StatusCodes.Status404NotFound => "not_found",
                StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
                StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
                >= StatusCodes.Status500InternalServerError => "internal_error",
                _ => "invalid_request",
            });
        });
        services.AddExceptionHandler<ExceptionProblems>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddRequestContracts();
        services.AddRouting();

        services.TryAddSingletonTimeProvider();
        services.AddValidatedOptions<TwoFactorOptions, TwoFactorOptionsValidator>(config.GetSection(TwoFactorOptions.Section))
            .AddOptionsValidator<TwoFactorOptions, TwoFactorOptionsRules>();
        services.AddValidatedOptions<MessagingOptions, MessagingOptionsValidator>(config.GetSection(MessagingOptions.Section))
            .AddOptionsValidator<MessagingOptions, MessagingOptionsRules>();
        services.AddValidatedOptions<SmtpOptions, SmtpOptionsValidator>(config.GetSection(SmtpOptions.Section));
        services.AddValidatedOptions<FunctionKeyOptions, FunctionKeyOptionsValidator>(config.GetSection(FunctionKeyOptions.Section))
            .AddOptionsValidator<FunctionKeyOptions, FunctionKeyOptionsRules>();
        builder.AddBrowserAccess();
        services.AddValidatedOptions<StorageOptions, StorageOptionsValidator>(config.GetSection(StorageOptions.Section));
        builder.AddStorageClients();
        services.AddSingleton<TableStorage>();
        services.AddSingleton<ExpiryIndex>();
        // Every tenant read and write goes through the caching store, so a write on this instance is seen by it at once.
        services.AddSingleton(sp => new CachingTenantStore(ActivatorUtilities.CreateInstance<TableTenantStore>(sp),
            sp.GetRequiredService<TwoFactorOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ITenantStore>(sp => sp.GetRequiredService<CachingTenantStore>());
        services.AddSingleton<IAccountStore, TableAccountStore>();
        services.AddSingleton<IUserStore, TableUserStore>();
        services.AddSingleton<IChallengeStore, TableChallengeStore>();
        services.AddSingleton<IAccountGuardStore, TableAccountGuardStore>();
        services.AddSingleton<IDeviceTrustStore, TableDeviceTrustStore>();
        services.AddSingleton<IAuditLog, TableAuditLog>();
        services.AddSingleton<ISendCounterStore, TableSendCounterStore>();
        services.AddSingleton<IUserFactorStore, TableUserFactorStore>();
        services.AddValidatedOptions<CleanupOptions, CleanupOptionsValidator>(config.GetSection(CleanupOptions.Section));
        services.AddSingleton<ExpiredDataCleaner>();
        services.AddSingleton<StorageInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<StorageInitializer>());

        builder.AddTwoFactorTelemetry();
        services.AddTwoFactorHealthChecks(config);
        builder.AddMessageSenders();
        builder.AddEnrolment();
        services.AddSingleton<CodeMessages>();
        services.AddSingleton<ICodeDelivery>(sp => new CodeDelivery(
            sp.GetRequiredService<CodeMessages>(), sp.GetRequiredService<IEmailSender>(), sp.GetService<ISmsSender>(), sp.GetService<IVoiceCaller>()));

        services.AddSingleton(sp => new CodeHasher(sp.GetRequiredService<TwoFactorOptions>().CodeHashKey()));
        services.AddSingleton(sp => new RecoveryCodes(sp.GetRequiredService<TwoFactorOptions>().CodeHashKey()));
        services.AddSingleton<TotpSecretProtector>();
        services.AddSingleton(sp => new ChangeReportTokens(sp.GetRequiredService<TwoFactorOptions>().CodeHashKey(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new FactorNotifier(sp.GetRequiredService<IEmailSender>(), sp.GetRequiredService<AccountNotices>(),
            sp.GetRequiredService<ChangeReportTokens>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<ISmsSender>()));
        services.AddSingleton<FactorChangeProofs>();
        services.AddSingleton<UserFactorRows>();
        services.AddSingleton<AuthenticatorService>();
        services.AddSingleton<AuthenticatorEnrolmentService>();
        builder.AddPasskeys();
        services.AddSingleton<AccountGuardService>();
        services.AddSingleton<DeviceTrustService>();
        services.AddSignIn();
        services.AddSingleton<DirectoryService>();
        services.AddSingleton<ActorRules>();
        services.AddSingleton<RequiredActionCompletion>();
        services.AddSingleton<RequiredActionService>();
        services.AddSingleton<PasswordChangeService>();
        services.AddSingleton<RecoveryQuestionService>();
        services.AddSingleton<TermsAcceptanceService>();
        services.AddSingleton<SignInPolicyService>();
        services.AddSingleton<SendGuard>();
        services.AddSingleton<AccountNotices>();
        services.AddSingleton<AccountLoader>();
        services.AddSingleton<UserTwoFactorService>();
        services.AddSingleton<ContactChangeService>();
        services.AddSingleton<ChangeReportService>();

        return builder;
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
