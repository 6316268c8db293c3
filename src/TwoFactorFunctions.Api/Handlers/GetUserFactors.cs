using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Factors;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>GET <see cref="FactorsApi.Routes.Factors"/> — the user's authenticator and recovery codes left (the user or an admin).</summary>
public static class GetUserFactors
{
    public static async Task<Results<Ok<FactorStatus>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, [FromHeader(Name = DevicesApi.ActorHeader)] string? actorId,
        AuthenticatorService authenticators, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await authenticators.GetAsync(tenantId, userId, actorId, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblem.From(result.Error, context);
    }
}
