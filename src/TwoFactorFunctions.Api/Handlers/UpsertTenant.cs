using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// PUT <see cref="DirectoryApi.Routes.Tenant"/> — create a company or update its profile and SMS/voice cost limits, as the portal's
/// operator sets them (the company's admins change the 2FA policy through the settings API).
/// </summary>
public static class UpsertTenant
{
    public sealed record Body(string? DisplayName, string? DefaultRegion, int[]? AllowedCallingCodes, int? SmsDailyBudget, int? VoiceDailyBudget, bool? VoiceOnlyAfterSms);

    public static async Task<Results<Ok<GetTenant.TenantResponse>, ProblemHttpResult>> HandleAsync(
        string tenantId, Body body, DirectoryService directory, HttpContext context, CancellationToken cancellationToken)
    {
        var input = new TenantProfileInput(tenantId, body.DisplayName, body.DefaultRegion, body.AllowedCallingCodes, body.SmsDailyBudget, body.VoiceDailyBudget, body.VoiceOnlyAfterSms);
        var result = await directory.UpsertTenantAsync(input, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(GetTenant.TenantResponse.From(result.Value)) : ApiProblem.From(result.Error, context);
    }
}
