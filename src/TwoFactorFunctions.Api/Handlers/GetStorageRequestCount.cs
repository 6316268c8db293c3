using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// GET <see cref="DiagnosticsApi.Routes.StorageRequests"/> — how many requests this process has sent to Table Storage
/// so far. The benchmark reads it before and after a run: the difference over the flows is requests per sign-in.
/// </summary>
public static class GetStorageRequestCount
{
    public sealed record Count(long Requests);

    public static Ok<Count> Handle(StorageRequestCounter counter) => TypedResults.Ok(new Count(counter.Total));
}
