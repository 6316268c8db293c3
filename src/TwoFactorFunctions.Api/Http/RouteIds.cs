using Microsoft.AspNetCore.Routing.Patterns;
using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Common;

namespace TwoFactorFunctions.Api.Http;

/// <summary>
/// The ids in a route (every route parameter named <c>…Id</c>: tenantId, userId, challengeId, deviceId, runId) checked
/// once, at the edge, before any handler runs: a value that could not be a Table Storage key is answered 400
/// <c>invalid_id</c> naming the parameter (<see cref="Ids.Validate"/>), so handlers and services get valid ids only.
/// </summary>
/// <remarks>
/// A check after routing rather than a route constraint: a constraint would make a bad id a 404 (no route matched)
/// instead of saying what is wrong with it. It runs after the caller checks, so a caller who may not see the tenant is
/// still told that first, and before the endpoint binds its body. Ids from a body or a header are not route values;
/// whoever reads them validates them.
/// </remarks>
public static class RouteIds
{
    public static TBuilder ValidatesRouteIds<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(endpoint =>
        {
            // A group's conventions see the endpoint's whole pattern, so the ids are known here, once per endpoint.
            if (endpoint is RouteEndpointBuilder { RoutePattern: var pattern } && IdParameters(pattern) is { Length: > 0 } ids)
            {
                endpoint.Metadata.Add(new IdsInRoute(ids));
            }
        });
        return builder;
    }

    /// <summary>
    /// Checks the matched endpoint's ids before the endpoint runs, so a bad id is refused before its body is read: an
    /// id that could never be stored is the first thing wrong with such a request, whatever the body says.
    /// </summary>
    public static IApplicationBuilder UseRouteIdValidation(this IApplicationBuilder app) => app.Use(next => context =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IdsInRoute>() is { } route)
        {
            var values = context.Request.RouteValues;
            foreach (var id in route.Ids)
            {
                // A challenge id also names its user (ChallengeIds), so it may be longer than other ids.
                var value = values[id] as string;
                if ((id == "challengeId" ? ChallengeIds.Validate(value, id) : Ids.Validate(value, id)) is { } invalid)
                {
                    return ApiProblem.From(invalid, context).ExecuteAsync(context);
                }
            }
        }

        return next(context);
    });

    /// <summary>The pattern's id parameters, in the order they appear in the route (the first bad one is named).</summary>
    public static string[] IdParameters(RoutePattern pattern) =>
        [.. pattern.Parameters.Select(p => p.Name).Where(name => name.EndsWith("Id", StringComparison.Ordinal))];

    /// <summary>The id parameters of an endpoint's route, for <see cref="UseRouteIdValidation"/>.</summary>
    private sealed record IdsInRoute(string[] Ids);
}
