using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Http;

namespace TwoFactorFunctions.Api.Apis;

/// <summary>
/// What a sign-in still needs besides a code (seed A's new user): the password policy check, the recovery question, the
/// terms of use; and the tenant's sign-in policy they follow.
/// </summary>
public static class RequiredActionsApi
{
    /// <summary>Each route once, for the map below and the function app's triggers (see <see cref="ChallengesApi.Routes"/>).</summary>
    public static class Routes
    {
        public const string SignInPolicy = "api/tenants/{tenantId}/sign-in-policy";
        public const string Terms = "api/tenants/{tenantId}/terms";
        public const string RequiredActions = "api/tenants/{tenantId}/users/{userId}/required-actions";
        public const string PasswordChecks = "api/tenants/{tenantId}/users/{userId}/password-checks";
        public const string PasswordChanges = "api/tenants/{tenantId}/users/{userId}/password-changes";
        public const string RecoveryQuestion = "api/tenants/{tenantId}/users/{userId}/recovery-question";
        public const string RecoveryAnswerChecks = "api/tenants/{tenantId}/users/{userId}/recovery-answer-checks";
        public const string TermsAcceptances = "api/tenants/{tenantId}/users/{userId}/terms-acceptances";
    }

    public static RouteGroupBuilder MapRequiredActionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags("Required actions");

        api.MapGet(Routes.SignInPolicy, GetSignInPolicy.HandleAsync).WithName(nameof(GetSignInPolicy));
        api.MapPut(Routes.SignInPolicy, UpdateSignInPolicy.HandleAsync).WithName(nameof(UpdateSignInPolicy));
        api.MapPost(Routes.Terms, PublishTerms.HandleAsync).WithName(nameof(PublishTerms));

        api.MapGet(Routes.RequiredActions, GetRequiredActions.HandleAsync).WithName(nameof(GetRequiredActions)).AcceptsAccessTokens();
        api.MapPost(Routes.RequiredActions, ForceRequiredActions.HandleAsync).WithName(nameof(ForceRequiredActions)).AcceptsAccessTokens();
        api.MapPost(Routes.PasswordChecks, CheckPassword.HandleAsync).WithName(nameof(CheckPassword));
        api.MapPost(Routes.PasswordChanges, CompletePasswordChange.HandleAsync).WithName(nameof(CompletePasswordChange));
        api.MapGet(Routes.RecoveryQuestion, GetRecoveryQuestion.HandleAsync).WithName(nameof(GetRecoveryQuestion));
        api.MapPut(Routes.RecoveryQuestion, SetRecoveryQuestion.HandleAsync).WithName(nameof(SetRecoveryQuestion));
        api.MapPost(Routes.RecoveryAnswerChecks, CheckRecoveryAnswer.HandleAsync).WithName(nameof(CheckRecoveryAnswer));
        api.MapPost(Routes.TermsAcceptances, AcceptTerms.HandleAsync).WithName(nameof(AcceptTerms));

        return api;
    }
}
