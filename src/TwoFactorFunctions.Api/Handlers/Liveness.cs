using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Apis;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// GET <see cref="HealthApi.Routes.Live"/> — liveness, no key needed: the process serves requests. It checks no dependency on purpose, so
/// a storage outage takes instances out of rotation (readiness) instead of restarting them all.
/// </summary>
public static class Liveness
{
    public static Ok<Health.Status> Handle() => TypedResults.Ok(new Health.Status("Healthy", []));
}
