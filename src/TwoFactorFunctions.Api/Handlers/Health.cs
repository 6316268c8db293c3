using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.HealthChecks;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Common;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// GET <see cref="HealthApi.Routes.Health"/> — readiness, no key needed: storage, the task hub and the senders. 503 (with the failing checks and
/// Retry-After) while the instance cannot serve, so a load balancer or probe takes it out of rotation.
/// </summary>
public static class Health
{
    public sealed record Status(string State, IReadOnlyList<Check> Checks);

    public sealed record Check(string Name, string State, string? Description);

    public static async Task<Results<Ok<Status>, ProblemHttpResult>> HandleAsync(HealthCheckService health, HttpContext context, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(HealthRegistration.IsReadiness, cancellationToken);
        var checks = report.Entries.Select(e => new Check(e.Key, e.Value.Status.ToString(), e.Value.Description)).ToList();
        if (report.Status == HealthStatus.Unhealthy)
        {
            return ApiProblem.From(new DomainError(ErrorKind.Unavailable, "not_ready", "A dependency this service needs is unreachable.")
                    { RetryAfter = TimeSpan.FromSeconds(ExceptionProblems.StorageRetryAfterSeconds) }
                .With("checks", checks), context);
        }

        return TypedResults.Ok(new Status(report.Status.ToString(), checks));
    }
}
