using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Accounts;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// POST <see cref="AccountsApi.Routes.ContactChangeCompletion"/> — applies a verified contact
/// change; the old contact gets a notice (and hears of every change for 7 days) and remembered devices are forgotten.
/// </summary>
public static class CompleteContactChange
{
    public static async Task<Results<Ok<GetUser.UserResponse>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, string challengeId, [FromHeader(Name = DevicesApi.ActorHeader)] string? actorId,
        ContactChangeService contacts, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await contacts.CompleteAsync(tenantId, userId, actorId, challengeId, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(GetUser.UserResponse.From(result.Value)) : ApiProblem.From(result.Error, context);
    }
}
