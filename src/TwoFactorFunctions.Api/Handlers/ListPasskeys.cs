using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Factors.Passkeys;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>GET <see cref="PasskeysApi.Routes.Passkeys"/> — the user's passkeys (names, dates, sync state; never keys or credential ids).</summary>
public static class ListPasskeys
{
    public static async Task<Results<Ok<PasskeyList>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, [FromHeader(Name = DevicesApi.ActorHeader)] string? actorId, PasskeyService passkeys, HttpContext context,
        CancellationToken cancellationToken)
    {
        var result = await passkeys.ListAsync(tenantId, userId, actorId, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblem.From(result.Error, context);
    }
}
