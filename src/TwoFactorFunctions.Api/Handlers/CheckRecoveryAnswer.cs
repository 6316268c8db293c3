using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Actions;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// POST <see cref="RequiredActionsApi.Routes.RecoveryAnswerChecks"/> — for the portal's password-recovery flow: 200
/// when the answer matches, otherwise a problem with <c>triesLeft</c>; wrong answers count toward the account lockout.
/// </summary>
public static class CheckRecoveryAnswer
{
    public sealed record Body([property: JsonRequired] string Answer);

    public static async Task<Results<Ok<RecoveryAnswerCheck>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, Body body, RecoveryQuestionService actions, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await actions.CheckRecoveryAnswerAsync(tenantId, userId, body.Answer, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblem.From(result.Error, context);
    }
}
