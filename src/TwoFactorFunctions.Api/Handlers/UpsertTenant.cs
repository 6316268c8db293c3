using System.Text.Json.Serialization;
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
    /// <summary>
    /// The company: <c>displayName</c> is required; each limit left out keeps its stored value (a new company gets the
    /// default), so no setting is ever reset by omission. To change some members only, PATCH (<see cref="PatchTenant"/>).
    /// </summary>
    public sealed record Body(
        [property: JsonRequired] string DisplayName, string? DefaultRegion, int[]? AllowedCallingCodes, int? SmsDailyBudget, int? VoiceDailyBudget, bool? VoiceOnlyAfterSms)
    {
        /// <summary>The stored company as this body, the representation a PATCH is applied to.</summary>
        public static Body From(Tenant tenant) => new(tenant.DisplayName, tenant.DefaultRegion, [.. tenant.AllowedCallingCodes],
            tenant.SmsDailyBudget, tenant.VoiceDailyBudget, tenant.VoiceOnlyAfterSms);

        public TenantProfileInput ToInput(string tenantId) =>
            new(tenantId, DisplayName, DefaultRegion, AllowedCallingCodes, SmsDailyBudget, VoiceDailyBudget, VoiceOnlyAfterSms);
    }

    public static async Task<Results<Ok<GetTenant.TenantResponse>, ProblemHttpResult>> HandleAsync(
        string tenantId, Body body, DirectoryService directory, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await directory.UpsertTenantAsync(body.ToInput(tenantId), cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(GetTenant.TenantResponse.From(result.Value)) : ApiProblem.From(result.Error, context);
    }
}
