using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Infrastructure.Communication;

namespace TwoFactorFunctions.Api.Apis;

/// <summary>Call Automation posts call events here. Mapped only when ACS places the calls.</summary>
public static class AcsCallbacksApi
{
    public const string Route = "/api/acs/callbacks";

    public static IEndpointRouteBuilder MapAcsCallbacksApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ServiceProvider.GetService<IServiceProviderIsService>()?.IsService(typeof(AcsCallbackProcessor)) == true)
        {
            // No function key: ACS cannot send one. The signed JWT on each callback is checked instead.
            app.MapPost(Route, AcsCallback.HandleAsync).WithName(nameof(AcsCallback)).WithTags("Messaging").AllowAnonymous();
        }

        return app;
    }
}
