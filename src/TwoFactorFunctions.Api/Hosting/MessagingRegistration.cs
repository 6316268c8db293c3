using Azure.Core;
using TwoFactorFunctions.Api.Hosting.Options;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Core.Telemetry;
using TwoFactorFunctions.Infrastructure.Communication;
using TwoFactorFunctions.Infrastructure.Messaging;

namespace TwoFactorFunctions.Api.Hosting;

public enum EmailProvider
{
    Smtp,
    Acs,
}

public enum PhoneProvider
{
    /// <summary>No SMS or voice sender: tenants can use email only.</summary>
    None,

    /// <summary>Development only: messages are stored for reading back through <see cref="Apis.DevOutboxApi.Routes.Outbox"/>.</summary>
    DevOutbox,
    Acs,
}

/// <summary>Which senders deliver codes (<c>Messaging:EmailProvider</c>, <c>Messaging:PhoneProvider</c>).</summary>
public sealed class MessageProviderOptions
{
    public const string Section = "Messaging";

    public EmailProvider EmailProvider { get; set; } = EmailProvider.Smtp;

    /// <summary>Unset means DevOutbox in Development and None elsewhere.</summary>
    public PhoneProvider? PhoneProvider { get; set; }
}

/// <summary>The senders in use, as registered: the providers chosen, with the phone's environment default applied.</summary>
public sealed record MessageProviders(EmailProvider Email, PhoneProvider Phone)
{
    public bool EmailUsesAcs => Email == EmailProvider.Acs;

    public bool PhoneUsesAcs => Phone == PhoneProvider.Acs;
}

public static class MessagingRegistration
{
    /// <summary>
    /// Registers the email sender (SMTP by default, or ACS) and the SMS/voice senders (dev outbox in Development, ACS,
    /// or none), with the ACS clients, the pending-call store and the Call Automation callback handling when ACS is used.
    /// </summary>
    public static IHostApplicationBuilder AddMessageSenders(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var config = builder.Configuration;
        var isDevelopment = builder.Environment.IsDevelopment();

        // Bound once, here and not through IOptions, because the providers decide what gets registered: a value that
        // names no provider fails now, naming the key. The rules (DevOutbox only in Development) run at start as usual.
        var providers = config.GetSection(MessageProviderOptions.Section).Get<MessageProviderOptions>() ?? new MessageProviderOptions();
        services.AddOptions<MessageProviderOptions>()
            .Configure(o => (o.EmailProvider, o.PhoneProvider) = (providers.EmailProvider, providers.PhoneProvider))
            .ValidateOnStart();
        services.AddOptionsValidator<MessageProviderOptions, MessageProviderOptionsRules>();
        services.AddSingleton(providers);

        var phone = providers.PhoneProvider ?? (isDevelopment ? PhoneProvider.DevOutbox : PhoneProvider.None);
        var used = new MessageProviders(providers.EmailProvider, phone);
        var emailUsesAcs = used.EmailUsesAcs;
        var phoneUsesAcs = used.PhoneUsesAcs;
        services.AddSingleton(used);

        services.AddValidatedOptions<AcsOptions, AcsOptionsValidator>(config.GetSection(AcsOptions.Section))
            .AddOptionsValidator<AcsOptions, AcsOptionsRules>();

        if (emailUsesAcs || phoneUsesAcs)
        {
            services.AddSingleton(sp =>
            {
                var options = sp.GetRequiredService<AcsOptions>();
                var time = sp.GetRequiredService<TimeProvider>();
                return string.IsNullOrWhiteSpace(options.ConnectionString)
                    ? AcsPipeline.Create(options.Endpoint!, sp.GetRequiredService<TokenCredential>(), options.ClientOptions(), time)
                    : AcsPipeline.Create(AcsConnectionString.Parse(options.ConnectionString), options.ClientOptions(), time);
            });
        }

        if (emailUsesAcs)
        {
            services.AddSingleton<AcsEmailClient>();
            services.AddMetered<IEmailSender, AcsEmailSender>((m, inner) => m.Email(inner, "acs"));
        }
        else
        {
            services.AddMetered<IEmailSender, SmtpEmailSender>((m, inner) => m.Email(inner, "smtp"));
        }

        if (isDevelopment)
        {
            // Registered even when ACS sends, so the dev endpoint still answers (with whatever was stored).
            services.AddSingleton<DevOutboxSender>();
        }

        switch (phone)
        {
            case PhoneProvider.DevOutbox:
                services.AddSingleton<ISmsSender>(sp => sp.GetRequiredService<MeteredSenders>().Sms(sp.GetRequiredService<DevOutboxSender>(), "devoutbox"));
                services.AddSingleton<IVoiceCaller>(sp => sp.GetRequiredService<MeteredSenders>().Voice(sp.GetRequiredService<DevOutboxSender>(), "devoutbox"));
                break;

            case PhoneProvider.Acs:
                services.AddSingleton<AcsSmsClient>();
                services.AddSingleton<AcsCallAutomationClient>();
                services.AddSingleton<PendingCallStore>();
                services.AddMetered<ISmsSender, AcsSmsSender>((m, inner) => m.Sms(inner, "acs"));
                services.AddMetered<IVoiceCaller, AcsVoiceCaller>((m, inner) => m.Voice(inner, "acs"));
                services.AddSingleton<IAcsSigningKeys, OpenIdAcsSigningKeys>();
                services.AddSingleton<AcsCallbackAuthenticator>();
                services.AddSingleton<AcsCallbackProcessor>();
                break;
        }

        return builder;
    }

    /// <summary>Registers the provider's sender and exposes it only through the timing wrapper, so every send is measured.</summary>
    private static void AddMetered<TService, TSender>(this IServiceCollection services, Func<MeteredSenders, TSender, TService> wrap)
        where TService : class
        where TSender : class, TService
    {
        services.AddSingleton<TSender>();
        services.AddSingleton(sp => wrap(sp.GetRequiredService<MeteredSenders>(), sp.GetRequiredService<TSender>()));
    }
}
