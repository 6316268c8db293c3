using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Challenges;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>POST /api/tenants/{tenantId}/challenges/{challengeId}/send — send a new code; earlier codes stop working.</summary>
public static class SendChallengeCode
{
    public static async Task<Results<Ok<ChallengeView>, ProblemHttpResult>> HandleAsync(
        string tenantId, string challengeId, ChallengeIssuer issuer, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await issuer.SendCodeAsync(tenantId, challengeId, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblem.From(result.Error, context);
    }
}
