using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Http;

namespace TwoFactorFunctions.Api.Apis;

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/health").WithTags("Health").AllowAnonymous().WithMetadata(new ReportsOwnReadiness());
        api.MapGet("", Health.HandleAsync).WithName(nameof(Health));
        api.MapGet("/live", Liveness.Handle).WithName(nameof(Liveness));
        return app;
    }
}
