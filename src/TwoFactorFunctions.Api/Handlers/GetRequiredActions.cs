using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Actions;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>GET <see cref="RequiredActionsApi.Routes.RequiredActions"/> — pending actions and what was done when (the user or an admin).</summary>
public static class GetRequiredActions
{
    public static async Task<Results<Ok<RequiredActionStatus>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, [FromHeader(Name = DevicesApi.ActorHeader)] string? actorId,
        RequiredActionService actions, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await actions.GetStatusAsync(tenantId, userId, actorId, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblem.From(result.Error, context);
    }
}
