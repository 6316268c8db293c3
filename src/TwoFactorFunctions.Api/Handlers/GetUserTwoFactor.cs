using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Accounts;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>GET <see cref="AccountsApi.Routes.TwoFactor"/> — the user's 2FA state (the user or an admin).</summary>
public static class GetUserTwoFactor
{
    public static async Task<Results<Ok<UserTwoFactorStatus>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, [FromHeader(Name = DevicesApi.ActorHeader)] string? actorId,
        UserTwoFactorService accounts, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await accounts.GetAsync(tenantId, userId, actorId, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblem.From(result.Error, context);
    }
}
