using TwoFactorFunctions.Api.Handlers;

namespace TwoFactorFunctions.Api.Apis;

/// <summary>Development only: read back the SMS and calls the dev outbox kept instead of sending.</summary>
public static class DevOutboxApi
{
    /// <summary>Each route once, for the map below and the function app's trigger (see <see cref="ChallengesApi.Routes"/>).</summary>
    public static class Routes
    {
        public const string Outbox = "api/tenants/{tenantId}/dev/outbox/{phone}";
    }

    public static IEndpointRouteBuilder MapDevOutboxApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ServiceProvider.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            app.MapGet(Routes.Outbox, DevOutbox.HandleAsync).WithName(nameof(DevOutbox)).WithTags("Development");
        }

        return app;
    }
}
