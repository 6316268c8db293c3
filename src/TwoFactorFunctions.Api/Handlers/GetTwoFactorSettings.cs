using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Enrolment;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>GET <see cref="TwoFactorSettingsApi.Routes.TwoFactor"/> — the tenant's 2FA settings (an active admin of the tenant only).</summary>
public static class GetTwoFactorSettings
{
    public static async Task<Results<Ok<TwoFactorSettings>, ProblemHttpResult>> HandleAsync(
        string tenantId, [FromHeader(Name = TwoFactorSettingsApi.ActorHeader)] string? actorId,
        TenantSettingsService settings, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await settings.GetAsync(tenantId, actorId, context.EnrolmentEngine(), cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblem.From(result.Error, context);
    }
}
