using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>GET <see cref="DirectoryApi.Routes.Tenant"/> — the company's profile and two-factor policy.</summary>
public static class GetTenant
{
    public sealed record TwoFactorPolicy(bool Enabled, TwoFactorMode Mode, Channel Channel, int CodeLifetimeMinutes, int DeviceTrustDays, bool SkipFirstSignIn);

    public sealed record SendLimits(IReadOnlyList<int> AllowedCallingCodes, int SmsDailyBudget, int VoiceDailyBudget, bool VoiceOnlyAfterSms);

    public sealed record TenantResponse(string TenantId, string DisplayName, string DefaultRegion, TwoFactorPolicy TwoFactor, SendLimits SendLimits, string? ActiveRunId)
    {
        public static TenantResponse From(Tenant t) => new(t.TenantId, t.DisplayName, t.DefaultRegion,
            new TwoFactorPolicy(t.TwoFactorEnabled, t.Mode, t.Channel, t.CodeLifetimeMinutes, t.DeviceTrustDays, t.SkipFirstSignIn),
            new SendLimits(t.AllowedCallingCodes, t.SmsDailyBudget, t.VoiceDailyBudget, t.VoiceOnlyAfterSms), t.ActiveRunId);
    }

    public static async Task<Results<Ok<TenantResponse>, ProblemHttpResult>> HandleAsync(
        string tenantId, DirectoryService directory, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await directory.GetTenantAsync(tenantId, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(TenantResponse.From(result.Value)) : ApiProblem.From(result.Error, context);
    }
}
