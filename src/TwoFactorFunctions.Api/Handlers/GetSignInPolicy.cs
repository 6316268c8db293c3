using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Actions;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>GET <see cref="RequiredActionsApi.Routes.SignInPolicy"/> — the password rules, recovery questions and current terms the portal shows.</summary>
public static class GetSignInPolicy
{
    public static async Task<Results<Ok<SignInPolicy>, ProblemHttpResult>> HandleAsync(
        string tenantId, SignInPolicyService policies, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await policies.GetAsync(tenantId, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblem.From(result.Error, context);
    }
}
