using TwoFactorFunctions.Api.Handlers;

namespace TwoFactorFunctions.Api.Apis;

/// <summary>
/// Measurement endpoints for the benchmarks, off unless configured. Mapped by the standalone host only: the benchmark
/// runs that host, and the function app has no trigger for these routes (its requests are counted by the same
/// pipeline policy and exported as <c>tff.storage.requests</c> instead).
/// </summary>
public static class DiagnosticsApi
{
    /// <summary>True maps <see cref="Routes.StorageRequests"/>; off by default, so no deployment shows it unasked.</summary>
    public const string StorageRequestCountSetting = "Diagnostics:StorageRequestCount";

    /// <summary>Each route once (see <see cref="ChallengesApi.Routes"/>).</summary>
    public static class Routes
    {
        public const string StorageRequests = "diagnostics/storage-requests";
    }

    public static IEndpointRouteBuilder MapDiagnosticsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ServiceProvider.GetRequiredService<IConfiguration>().GetValue<bool>(StorageRequestCountSetting))
        {
            // Not anonymous, so the function key check applies as on every API endpoint; not in the OpenAPI document,
            // which describes the API callers build against.
            app.MapGet(Routes.StorageRequests, GetStorageRequestCount.Handle)
                .WithName(nameof(GetStorageRequestCount)).WithTags("Diagnostics").ExcludeFromDescription();
        }

        return app;
    }
}
