using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Http;

namespace TwoFactorFunctions.Api.Apis;

public static class HealthApi
{
    /// <summary>Each route once, for the map below and the function app's triggers (see <see cref="ChallengesApi.Routes"/>).</summary>
    public static class Routes
    {
        public const string Health = "api/health";
        public const string Live = "api/health/live";
    }

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags("Health").AllowAnonymous().WithMetadata(new ReportsOwnReadiness());
        api.MapGet(Routes.Health, Health.HandleAsync).WithName(nameof(Health));
        api.MapGet(Routes.Live, Liveness.Handle).WithName(nameof(Liveness));
        return app;
    }
}
