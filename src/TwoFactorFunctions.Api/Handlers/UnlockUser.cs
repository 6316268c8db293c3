using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Accounts;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>POST <see cref="AccountsApi.Routes.Unlock"/> — admin: clears a lockout after too many wrong codes.</summary>
public static class UnlockUser
{
    public static async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, [FromHeader(Name = DevicesApi.ActorHeader)] string? actorId,
        UserTwoFactorService accounts, HttpContext context, CancellationToken cancellationToken)
    {
        var error = await accounts.UnlockAsync(tenantId, userId, actorId, cancellationToken);
        return error is null ? TypedResults.NoContent() : ApiProblem.From(error, context);
    }
}
