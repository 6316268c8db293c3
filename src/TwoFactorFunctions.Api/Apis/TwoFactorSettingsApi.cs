using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Http;

namespace TwoFactorFunctions.Api.Apis;

/// <summary>A tenant's 2FA settings and the enrolment runs a change starts (admins only, actor in X-Actor-Id).</summary>
public static class TwoFactorSettingsApi
{
    /// <summary>The signed-in portal user on whose behalf the call is made (one header for every actor-checked route).</summary>
    public const string ActorHeader = DevicesApi.ActorHeader;

    /// <summary>Each route once, for the map below and the function app's triggers (see <see cref="ChallengesApi.Routes"/>).</summary>
    public static class Routes
    {
        public const string TwoFactor = "api/tenants/{tenantId}/two-factor";
        public const string StepUp = "api/tenants/{tenantId}/two-factor/step-up";
        public const string EnrolmentRun = "api/tenants/{tenantId}/enrolment-runs/{runId}";
    }

    public static RouteGroupBuilder MapTwoFactorSettingsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags("Two-factor settings").AcceptsAccessTokens();

        api.MapGet(Routes.TwoFactor, GetTwoFactorSettings.HandleAsync).WithName(nameof(GetTwoFactorSettings));
        api.MapPut(Routes.TwoFactor, UpdateTwoFactorSettings.HandleAsync).WithName(nameof(UpdateTwoFactorSettings)).RequiresFactorChangeProof();
        api.MapPost(Routes.StepUp, CreateAdminStepUp.HandleAsync).WithName(nameof(CreateAdminStepUp));
        api.MapGet(Routes.EnrolmentRun, GetEnrolmentRun.HandleAsync).WithName(nameof(GetEnrolmentRun));

        return api;
    }

    public static string RunLocation(string tenantId, string runId) =>
        $"/api/tenants/{Uri.EscapeDataString(tenantId)}/enrolment-runs/{Uri.EscapeDataString(runId)}";
}
