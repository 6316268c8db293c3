using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Enrolment;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// GET <see cref="TwoFactorSettingsApi.Routes.EnrolmentRun"/> — a run's status in the shape of Durable Functions' status query
/// (instanceId, runtimeStatus, input, customStatus, output, createdTime, lastUpdatedTime), read from the run's
/// orchestration. Admins of the tenant only; the orchestration's own management URLs are never exposed.
/// </summary>
public static class GetEnrolmentRun
{
    public static async Task<Results<Ok<EnrolmentRunStatus>, ProblemHttpResult>> HandleAsync(
        string tenantId, string runId, [FromHeader(Name = TwoFactorSettingsApi.ActorHeader)] string? actorId,
        TenantSettingsService settings, IEnrolmentRunStore runs, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await settings.GetRunAsync(tenantId, runId, actorId, context.EnrolmentEngine(), cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiProblem.From(result.Error, context);
        }

        var (run, state) = result.Value;
        var notices = await runs.SumNoticesAsync(run.TenantId, run.RunId, cancellationToken);
        return TypedResults.Ok(EnrolmentRunStatus.From(run, state, notices));
    }
}
