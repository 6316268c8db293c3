using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// PATCH <see cref="DirectoryApi.Routes.Tenant"/> (<c>application/merge-patch+json</c>) — change some of a company's
/// profile members; the rest keep their values. Written as a PUT of the result would be (<see cref="UpsertTenant.Body"/>).
/// </summary>
public static class PatchTenant
{
    /// <summary>What a patch may carry: every member optional.</summary>
    public sealed record Body(string? DisplayName, string? DefaultRegion, int[]? AllowedCallingCodes, int? SmsDailyBudget, int? VoiceDailyBudget, bool? VoiceOnlyAfterSms);

    public static async Task<Results<Ok<GetTenant.TenantResponse>, ProblemHttpResult>> HandleAsync(
        string tenantId, HttpRequest request, DirectoryService directory, HttpContext context, CancellationToken cancellationToken)
    {
        var patch = await MergePatch.ReadAsync(request, cancellationToken);
        var current = await directory.GetTenantAsync(tenantId, cancellationToken);
        if (!current.IsSuccess)
        {
            return ApiProblem.From(current.Error, context);
        }

        var body = MergePatch.Merge(UpsertTenant.Body.From(current.Value), patch, context);
        var result = await directory.UpsertTenantAsync(body.ToInput(tenantId), cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(GetTenant.TenantResponse.From(result.Value)) : ApiProblem.From(result.Error, context);
    }
}
