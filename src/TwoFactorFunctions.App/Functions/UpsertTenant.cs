using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.App.Http;
using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.App.Functions;

/// <summary>PUT /api/tenants/{tenantId} — create a company or update its profile (2FA settings are changed elsewhere).</summary>
public static class UpsertTenant
{
    public sealed record Body(string? DisplayName, string? DefaultRegion);

    public static async Task<Results<Ok<GetTenant.TenantResponse>, ProblemHttpResult>> HandleAsync(
        string tenantId, Body body, DirectoryService directory, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await directory.UpsertTenantAsync(tenantId, body.DisplayName, body.DefaultRegion, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(GetTenant.TenantResponse.From(result.Value!)) : ApiProblem.From(result.Error!, context);
    }
}
