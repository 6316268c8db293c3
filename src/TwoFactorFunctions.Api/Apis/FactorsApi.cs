using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Http;

namespace TwoFactorFunctions.Api.Apis;

/// <summary>A user's authenticator app (TOTP) and recovery codes: self-service enrolment and the admin's view.</summary>
public static class FactorsApi
{
    /// <summary>Each route once, for the map below and the function app's triggers (see <see cref="ChallengesApi.Routes"/>).</summary>
    public static class Routes
    {
        public const string Factors = "api/tenants/{tenantId}/users/{userId}/factors";
        public const string Authenticator = "api/tenants/{tenantId}/users/{userId}/authenticator";
        public const string AuthenticatorConfirmation = "api/tenants/{tenantId}/users/{userId}/authenticator/confirm";
        public const string RecoveryCodes = "api/tenants/{tenantId}/users/{userId}/recovery-codes";
    }

    public static RouteGroupBuilder MapFactorsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags("Factors").AcceptsAccessTokens();

        api.MapGet(Routes.Factors, GetUserFactors.HandleAsync).WithName(nameof(GetUserFactors));
        api.MapPost(Routes.Authenticator, StartAuthenticatorEnrolment.HandleAsync).WithName(nameof(StartAuthenticatorEnrolment)).RequiresFactorChangeProof();
        api.MapPost(Routes.AuthenticatorConfirmation, ConfirmAuthenticatorEnrolment.HandleAsync).WithName(nameof(ConfirmAuthenticatorEnrolment));
        api.MapDelete(Routes.Authenticator, RemoveAuthenticator.HandleAsync).WithName(nameof(RemoveAuthenticator)).RequiresFactorChangeProof();
        api.MapPost(Routes.RecoveryCodes, RegenerateRecoveryCodes.HandleAsync).WithName(nameof(RegenerateRecoveryCodes)).RequiresFactorChangeProof();

        return api;
    }
}
