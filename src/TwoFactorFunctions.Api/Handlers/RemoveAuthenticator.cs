using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Factors;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// DELETE <see cref="FactorsApi.Routes.Authenticator"/>?verifiedChallengeId=… — the user removes their
/// authenticator app (and with it the recovery codes), with a SelfService challenge they just verified.
/// </summary>
public static class RemoveAuthenticator
{
    public static async Task<Results<Ok<FactorStatus>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, [FromHeader(Name = DevicesApi.ActorHeader)] string? actorId, [FromQuery] string? verifiedChallengeId,
        AuthenticatorService authenticators, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await authenticators.RemoveAsync(tenantId, userId, actorId, verifiedChallengeId, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblem.From(result.Error, context);
    }
}
