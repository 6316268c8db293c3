using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Http;

namespace TwoFactorFunctions.Api.Apis;

/// <summary>The tenant's security events, newest first, for its admins.</summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tenants/{tenantId}/audit").WithTags("Audit").AcceptsAccessTokens();

        api.MapGet("/", ListAuditEvents.HandleAsync).WithName(nameof(ListAuditEvents));

        return api;
    }
}
