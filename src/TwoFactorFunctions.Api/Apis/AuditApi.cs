using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Http;

namespace TwoFactorFunctions.Api.Apis;

/// <summary>The tenant's security events, newest first, for its admins.</summary>
public static class AuditApi
{
    /// <summary>Each route once, for the map below and the function app's triggers (see <see cref="ChallengesApi.Routes"/>).</summary>
    public static class Routes
    {
        public const string Audit = "api/tenants/{tenantId}/audit";
    }

    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags("Audit").AcceptsAccessTokens();

        api.MapGet(Routes.Audit, ListAuditEvents.HandleAsync).WithName(nameof(ListAuditEvents));

        return api;
    }
}
