using TwoFactorFunctions.Api.Handlers;

namespace TwoFactorFunctions.Api.Apis;

/// <summary>Development only: read back the SMS and calls the dev outbox kept instead of sending.</summary>
public static class DevOutboxApi
{
    public static IEndpointRouteBuilder MapDevOutboxApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ServiceProvider.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            app.MapGet("/api/tenants/{tenantId}/dev/outbox/{phone}", DevOutbox.HandleAsync).WithName(nameof(DevOutbox)).WithTags("Development");
        }

        return app;
    }
}
