using TwoFactorFunctions.App.Functions;

namespace TwoFactorFunctions.App.Apis;

/// <summary>Development only: read back the SMS and calls the dev outbox kept instead of sending.</summary>
public static class DevOutboxApi
{
    public static WebApplication MapDevOutboxApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Environment.IsDevelopment())
        {
            app.MapGet("/api/dev/outbox/{phone}", DevOutbox.HandleAsync).WithName(nameof(DevOutbox)).WithTags("Development");
        }

        return app;
    }
}
