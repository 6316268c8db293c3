using TwoFactorFunctions.Api.Http;

namespace TwoFactorFunctions.Api.Apis;

/// <summary>The whole HTTP API: one middleware order and one endpoint table, used by both hosts.</summary>
public static class TwoFactorApi
{
    /// <summary>The name of the OpenAPI document's endpoint (an HTTP function like the others).</summary>
    public const string OpenApiDocument = nameof(OpenApiDocument);

    /// <summary>
    /// Problem details for every failure, then routing, then the checks every endpoint gets in this order: body size
    /// (before anything reads it), CORS (a preflight is answered here, before any credential is asked for), the caller
    /// (function key, access token or challenge token) and its tenant scope, storage readiness, the ids in the route
    /// (before any body is read); then the endpoints.
    /// </summary>
    public static IApplicationBuilder UseTwoFactorApi(this IApplicationBuilder app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseMiddleware<RequestSizeLimits>();
        app.UseCors();
        app.UseMiddleware<CallerAuthentication>();
        app.UseMiddleware<StorageReadiness>();
        app.UseRouteIdValidation();
        app.UseEndpoints(endpoints => endpoints.MapTwoFactorApis());
        return app;
    }

    public static IEndpointRouteBuilder MapTwoFactorApis(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi().WithName(OpenApiDocument).AllowAnonymous();

        // One group over every API so the route ids are checked in one place, for endpoints added later too.
        var api = app.MapGroup("").ValidatesRouteIds()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapHealthApi();
        api.MapDirectoryApi();
        api.MapChallengesApi();
        api.MapDevicesApi();
        api.MapAccountsApi();
        api.MapAuditApi();
        api.MapAcsCallbacksApi();
        api.MapDevOutboxApi();
        api.MapTwoFactorSettingsApi();
        api.MapRequiredActionsApi();
        api.MapFactorsApi();
        api.MapPasskeysApi();
        return app;
    }
}
