using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Enrolment;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// POST <see cref="TwoFactorSettingsApi.Routes.StepUp"/> — sends the acting admin a code over the tenant's channel. Verify it
/// with POST .../challenges/{challengeId}/verify, then pass the id as verifiedChallengeId to PUT .../two-factor
/// within five minutes; it works once.
/// </summary>
public static class CreateAdminStepUp
{
    public static async Task<Results<Created<ChallengeView>, ProblemHttpResult>> HandleAsync(
        string tenantId, [FromHeader(Name = TwoFactorSettingsApi.ActorHeader)] string? actorId,
        TenantSettingsService settings, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await settings.CreateStepUpAsync(tenantId, actorId, cancellationToken);
        return result.IsSuccess
            ? TypedResults.Created($"/api/tenants/{Uri.EscapeDataString(tenantId)}/challenges/{result.Value.ChallengeId}", result.Value)
            : ApiProblem.From(result.Error, context);
    }
}
