using TwoFactorFunctions.Api.Hosting.Options;
using TwoFactorFunctions.Core.Factors.Passkeys;
using TwoFactorFunctions.Infrastructure.WebAuthn;

namespace TwoFactorFunctions.Api.Hosting;

/// <summary>Passkeys: the relying party (validated at start), the WebAuthn ceremonies on Fido2, and the services over them.</summary>
public static class PasskeyRegistration
{
    public static IHostApplicationBuilder AddPasskeys(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<PasskeyOptions, PasskeyOptionsRules>(builder.Configuration.GetSection(PasskeyOptions.Section));
        services.AddSingleton<IWebAuthn, Fido2WebAuthn>();
        services.AddSingleton<PasskeyChangeRecorder>();
        services.AddSingleton<PasskeyRegistrationService>();
        services.AddSingleton<PasskeyService>();
        return builder;
    }
}
