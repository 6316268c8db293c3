using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Cors.Infrastructure;
using TwoFactorFunctions.Api.Hosting.Options;
using TwoFactorFunctions.Api.Http;

namespace TwoFactorFunctions.Api.Hosting;

public static class BrowserAccessRegistration
{
    /// <summary>
    /// Function keys for servers; for browsers, access tokens validated by ASP.NET Core's JWT bearer handler against
    /// the issuer's OpenID Connect metadata, and the CORS policy of the configured origins. Both hosts run the same.
    /// </summary>
    public static IHostApplicationBuilder AddBrowserAccess(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<BrowserAccessOptions, BrowserAccessOptionsRules>(builder.Configuration.GetSection(BrowserAccessOptions.Section));
        services.AddSingleton<FunctionKeyVerifier>();

        services.AddAuthentication().AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<BrowserAccessOptions>((o, browser) =>
        {
            o.Authority = browser.Authority?.ToString();
            o.Audience = browser.Audience;
            o.RequireHttpsMetadata = browser.RequireHttpsMetadata;

            // Claims keep the issuer's names, so the configured tenant and user claims are read as issued.
            o.MapInboundClaims = false;
            o.TokenValidationParameters.ClockSkew = TimeSpan.FromMinutes(1);
        });

        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<BrowserAccessOptions>((o, browser) => o.AddDefaultPolicy(policy => policy
            .WithOrigins([.. browser.AllowedOrigins])
            .WithMethods("GET", "PUT", "POST", "PATCH", "DELETE")
            .WithHeaders("authorization", "content-type", BrowserAccessEndpoints.ChallengeTokenHeader)
            .WithExposedHeaders("location", "retry-after")

            // Tokens travel in headers, never cookies: no credentials mode, so no origin can ride a user's session.
            .DisallowCredentials()
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        return builder;
    }
}
