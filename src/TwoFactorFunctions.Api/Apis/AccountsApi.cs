using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Http;

namespace TwoFactorFunctions.Api.Apis;

/// <summary>A user's own two-factor settings and contacts (seed B "User Actions"), and the admin's controls over them.</summary>
public static class AccountsApi
{
    public static RouteGroupBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tenants/{tenantId}/users/{userId}").WithTags("Accounts").AcceptsAccessTokens();

        api.MapGet("/two-factor", GetUserTwoFactor.HandleAsync).WithName(nameof(GetUserTwoFactor));
        api.MapPost("/two-factor/challenges", CreateUserTwoFactorChallenge.HandleAsync).WithName(nameof(CreateUserTwoFactorChallenge));
        api.MapPut("/two-factor", UpdateUserTwoFactor.HandleAsync).WithName(nameof(UpdateUserTwoFactor)).RequiresFactorChangeProof();
        api.MapPost("/contact-changes", StartContactChange.HandleAsync).WithName(nameof(StartContactChange)).RequiresFactorChangeProof();
        api.MapPost("/contact-changes/{challengeId}/complete", CompleteContactChange.HandleAsync).WithName(nameof(CompleteContactChange));
        api.MapPost("/two-factor/reset", ResetUserTwoFactor.HandleAsync).WithName(nameof(ResetUserTwoFactor)).RequiresFactorChangeProof();
        api.MapPost("/unlock", UnlockUser.HandleAsync).WithName(nameof(UnlockUser));

        // The portal's server relays a notice's "this wasn't me" link: the reporter is not signed in, so no access token.
        app.MapPost("/api/tenants/{tenantId}/users/{userId}/change-reports", ReportChange.HandleAsync).WithName(nameof(ReportChange)).WithTags("Accounts");

        return api;
    }
}
