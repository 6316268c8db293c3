using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>GET /api/health — no key needed; says whether storage answers.</summary>
public static class Health
{
    public sealed record Status(string State);

    public static async Task<Results<Ok<Status>, ProblemHttpResult>> HandleAsync(TableStorage storage, HttpContext context, CancellationToken cancellationToken)
    {
        try
        {
            await TableStorage.GetOrNullAsync(storage.Tenants, "health", "", cancellationToken);
            return TypedResults.Ok(new Status("Healthy"));
        }
        catch (Exception ex) when (ExceptionProblems.IsStorageOutage(ex))
        {
            return ApiProblem.From(new DomainError(ErrorKind.Unavailable, "storage_unavailable", "Storage is unreachable.")
                { RetryAfter = TimeSpan.FromSeconds(ExceptionProblems.StorageRetryAfterSeconds) }, context);
        }
    }
}
