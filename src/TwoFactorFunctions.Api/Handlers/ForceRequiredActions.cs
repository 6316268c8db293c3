using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Actions;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// POST <see cref="RequiredActionsApi.Routes.RequiredActions"/> — admin: <c>{actions: [UpdatePassword |
/// SetRecoveryQuestion | AcceptTerms]}</c> are required at the user's next sign-in.
/// </summary>
public static class ForceRequiredActions
{
    public sealed record Body([property: JsonRequired] RequiredAction[] Actions);

    public static async Task<Results<Ok<RequiredActionStatus>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, [FromHeader(Name = DevicesApi.ActorHeader)] string? actorId, Body body,
        RequiredActionService actions, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await actions.ForceAsync(tenantId, userId, actorId, body.Actions, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblem.From(result.Error, context);
    }
}
