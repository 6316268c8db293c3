using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Actions;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// GET <see cref="RequiredActionsApi.Routes.RecoveryQuestion"/> — the question the user picked (id and text, never the
/// answer), for the portal's password-recovery screen.
/// </summary>
public static class GetRecoveryQuestion
{
    public static async Task<Results<Ok<RecoveryQuestionView>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, RecoveryQuestionService actions, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await actions.GetRecoveryQuestionAsync(tenantId, userId, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblem.From(result.Error, context);
    }
}
