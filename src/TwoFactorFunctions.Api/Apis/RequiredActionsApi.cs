using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Http;

namespace TwoFactorFunctions.Api.Apis;

/// <summary>
/// What a sign-in still needs besides a code (seed A's new user): the password policy check, the recovery question, the
/// terms of use; and the tenant's sign-in policy they follow.
/// </summary>
public static class RequiredActionsApi
{
    public static RouteGroupBuilder MapRequiredActionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tenants/{tenantId}").WithTags("Required actions");

        api.MapGet("/sign-in-policy", GetSignInPolicy.HandleAsync).WithName(nameof(GetSignInPolicy));
        api.MapPut("/sign-in-policy", UpdateSignInPolicy.HandleAsync).WithName(nameof(UpdateSignInPolicy));
        api.MapPost("/terms", PublishTerms.HandleAsync).WithName(nameof(PublishTerms));

        api.MapGet("/users/{userId}/required-actions", GetRequiredActions.HandleAsync).WithName(nameof(GetRequiredActions)).AcceptsAccessTokens();
        api.MapPost("/users/{userId}/required-actions", ForceRequiredActions.HandleAsync).WithName(nameof(ForceRequiredActions)).AcceptsAccessTokens();
        api.MapPost("/users/{userId}/password-checks", CheckPassword.HandleAsync).WithName(nameof(CheckPassword));
        api.MapPost("/users/{userId}/password-changes", CompletePasswordChange.HandleAsync).WithName(nameof(CompletePasswordChange));
        api.MapGet("/users/{userId}/recovery-question", GetRecoveryQuestion.HandleAsync).WithName(nameof(GetRecoveryQuestion));
        api.MapPut("/users/{userId}/recovery-question", SetRecoveryQuestion.HandleAsync).WithName(nameof(SetRecoveryQuestion));
        api.MapPost("/users/{userId}/recovery-answer-checks", CheckRecoveryAnswer.HandleAsync).WithName(nameof(CheckRecoveryAnswer));
        api.MapPost("/users/{userId}/terms-acceptances", AcceptTerms.HandleAsync).WithName(nameof(AcceptTerms));

        return api;
    }
}
