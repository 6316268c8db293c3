using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Http;

namespace TwoFactorFunctions.Api.Apis;

/// <summary>A user's authenticator app (TOTP) and recovery codes: self-service enrolment and the admin's view.</summary>
public static class FactorsApi
{
    public static RouteGroupBuilder MapFactorsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tenants/{tenantId}/users/{userId}").WithTags("Factors").AcceptsAccessTokens();

        api.MapGet("/factors", GetUserFactors.HandleAsync).WithName(nameof(GetUserFactors));
        api.MapPost("/authenticator", StartAuthenticatorEnrolment.HandleAsync).WithName(nameof(StartAuthenticatorEnrolment)).RequiresFactorChangeProof();
        api.MapPost("/authenticator/confirm", ConfirmAuthenticatorEnrolment.HandleAsync).WithName(nameof(ConfirmAuthenticatorEnrolment));
        api.MapDelete("/authenticator", RemoveAuthenticator.HandleAsync).WithName(nameof(RemoveAuthenticator)).RequiresFactorChangeProof();
        api.MapPost("/recovery-codes", RegenerateRecoveryCodes.HandleAsync).WithName(nameof(RegenerateRecoveryCodes)).RequiresFactorChangeProof();

        return api;
    }
}
