using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.App.Apis;
using TwoFactorFunctions.App.Http;
using TwoFactorFunctions.Core.Enrolment;

namespace TwoFactorFunctions.App.Functions;

/// <summary>
/// GET /api/tenants/{tenantId}/enrolment-runs/{runId} — a run's status in the shape of Durable Functions' status query
/// (instanceId, runtimeStatus, input, customStatus, output, createdTime, lastUpdatedTime). Admins of the tenant only.
/// </summary>
public static class GetEnrolmentRun
{
    public static async Task<Results<Ok<EnrolmentRunStatus>, ProblemHttpResult>> HandleAsync(
        string tenantId, string runId, [FromHeader(Name = TwoFactorSettingsApi.ActorHeader)] string? actorId,
        TenantSettingsService settings, IEnrolmentRunStore runs, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await settings.GetRunAsync(tenantId, runId, actorId, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiProblem.From(result.Error!, context);
        }

        var run = result.Value!;
        var notices = await runs.SumNoticesAsync(run.TenantId, run.RunId, cancellationToken);
        return TypedResults.Ok(EnrolmentRunStatus.From(run, notices));
    }
}
