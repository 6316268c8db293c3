using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Infrastructure.Communication;

namespace TwoFactorFunctions.Api.Apis;

/// <summary>Call Automation posts call events here. Mapped only when ACS places the calls.</summary>
public static class AcsCallbacksApi
{
    /// <summary>Each route once, for the map below and the function app's trigger (see <see cref="ChallengesApi.Routes"/>).</summary>
    public static class Routes
    {
        /// <summary>The same route the callback address given to ACS ends in.</summary>
        public const string Callbacks = AcsOptions.CallbackRoute;
    }

    public static IEndpointRouteBuilder MapAcsCallbacksApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ServiceProvider.GetService<IServiceProviderIsService>()?.IsService(typeof(AcsCallbackProcessor)) == true)
        {
            // No function key: ACS cannot send one. The signed JWT on each callback is checked instead.
            app.MapPost(Routes.Callbacks, AcsCallback.HandleAsync).WithName(nameof(AcsCallback)).WithTags("Messaging").AllowAnonymous();
        }

        return app;
    }
}
