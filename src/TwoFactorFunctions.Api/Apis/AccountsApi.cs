using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Http;

namespace TwoFactorFunctions.Api.Apis;

/// <summary>A user's own two-factor settings and contacts (seed B "User Actions"), and the admin's controls over them.</summary>
public static class AccountsApi
{
    /// <summary>Each route once, for the map below and the function app's triggers (see <see cref="ChallengesApi.Routes"/>).</summary>
    public static class Routes
    {
        public const string TwoFactor = "api/tenants/{tenantId}/users/{userId}/two-factor";
        public const string TwoFactorChallenges = "api/tenants/{tenantId}/users/{userId}/two-factor/challenges";
        public const string TwoFactorReset = "api/tenants/{tenantId}/users/{userId}/two-factor/reset";
        public const string ContactChanges = "api/tenants/{tenantId}/users/{userId}/contact-changes";
        public const string ContactChangeCompletion = "api/tenants/{tenantId}/users/{userId}/contact-changes/{challengeId}/complete";
        public const string Unlock = "api/tenants/{tenantId}/users/{userId}/unlock";
        public const string ChangeReports = "api/tenants/{tenantId}/users/{userId}/change-reports";
    }

    public static RouteGroupBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags("Accounts");
        var signedIn = api.MapGroup("").AcceptsAccessTokens();

        signedIn.MapGet(Routes.TwoFactor, GetUserTwoFactor.HandleAsync).WithName(nameof(GetUserTwoFactor));
        signedIn.MapPost(Routes.TwoFactorChallenges, CreateUserTwoFactorChallenge.HandleAsync).WithName(nameof(CreateUserTwoFactorChallenge));
        signedIn.MapPut(Routes.TwoFactor, UpdateUserTwoFactor.HandleAsync).WithName(nameof(UpdateUserTwoFactor)).RequiresFactorChangeProof();
        signedIn.MapPost(Routes.ContactChanges, StartContactChange.HandleAsync).WithName(nameof(StartContactChange)).RequiresFactorChangeProof();
        signedIn.MapPost(Routes.ContactChangeCompletion, CompleteContactChange.HandleAsync).WithName(nameof(CompleteContactChange));
        signedIn.MapPost(Routes.TwoFactorReset, ResetUserTwoFactor.HandleAsync).WithName(nameof(ResetUserTwoFactor)).RequiresFactorChangeProof();
        signedIn.MapPost(Routes.Unlock, UnlockUser.HandleAsync).WithName(nameof(UnlockUser));

        // The portal's server relays a notice's "this wasn't me" link: the reporter is not signed in, so no access token.
        api.MapPost(Routes.ChangeReports, ReportChange.HandleAsync).WithName(nameof(ReportChange));

        return api;
    }
}
