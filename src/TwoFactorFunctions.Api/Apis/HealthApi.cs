using TwoFactorFunctions.Api.Handlers;

namespace TwoFactorFunctions.Api.Apis;

public static class HealthApi
{
    public static IEndpointConventionBuilder MapHealthApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/health", Health.HandleAsync).WithName(nameof(Health)).WithTags("Health").AllowAnonymous();
}
