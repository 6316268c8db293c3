using TwoFactorFunctions.App.Functions;

namespace TwoFactorFunctions.App.Apis;

public static class HealthApi
{
    public static IEndpointConventionBuilder MapHealthApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/health", Health.HandleAsync).WithName(nameof(Health)).WithTags("Health").AllowAnonymous();
}
