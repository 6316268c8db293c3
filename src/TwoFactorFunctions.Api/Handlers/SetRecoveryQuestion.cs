using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Actions;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// PUT <see cref="RequiredActionsApi.Routes.RecoveryQuestion"/> — completes SetRecoveryQuestion: one of the tenant's
/// questions and the answer, kept only as a slow salted hash of its normalised form.
/// </summary>
public static class SetRecoveryQuestion
{
    public sealed record Body([property: JsonRequired] string QuestionId, [property: JsonRequired] string Answer);

    public static async Task<Results<Ok<RequiredActionStatus>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, Body body, RecoveryQuestionService actions, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await actions.SetRecoveryQuestionAsync(tenantId, userId, body.QuestionId, body.Answer, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblem.From(result.Error, context);
    }
}
