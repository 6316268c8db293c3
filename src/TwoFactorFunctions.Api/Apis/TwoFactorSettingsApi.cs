using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Http;

namespace TwoFactorFunctions.Api.Apis;

/// <summary>A tenant's 2FA settings and the enrolment runs a change starts (admins only, actor in X-Actor-Id).</summary>
public static class TwoFactorSettingsApi
{
    /// <summary>The signed-in portal user on whose behalf the call is made (one header for every actor-checked route).</summary>
    public const string ActorHeader = DevicesApi.ActorHeader;

    public static RouteGroupBuilder MapTwoFactorSettingsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tenants/{tenantId}").WithTags("Two-factor settings").AcceptsAccessTokens();

        api.MapGet("/two-factor", GetTwoFactorSettings.HandleAsync).WithName(nameof(GetTwoFactorSettings));
        api.MapPut("/two-factor", UpdateTwoFactorSettings.HandleAsync).WithName(nameof(UpdateTwoFactorSettings)).RequiresFactorChangeProof();
        api.MapPost("/two-factor/step-up", CreateAdminStepUp.HandleAsync).WithName(nameof(CreateAdminStepUp));
        api.MapGet("/enrolment-runs/{runId}", GetEnrolmentRun.HandleAsync).WithName(nameof(GetEnrolmentRun));

        return api;
    }

    public static string RunLocation(string tenantId, string runId) =>
        $"/api/tenants/{Uri.EscapeDataString(tenantId)}/enrolment-runs/{Uri.EscapeDataString(runId)}";
}
