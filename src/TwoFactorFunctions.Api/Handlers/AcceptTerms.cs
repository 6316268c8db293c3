using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Actions;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// POST <see cref="RequiredActionsApi.Routes.TermsAcceptances"/> — completes AcceptTerms for the version the user was
/// shown; recorded with the time and the user.
/// </summary>
public static class AcceptTerms
{
    public sealed record Body([property: JsonRequired] int Version);

    public static async Task<Results<Ok<RequiredActionStatus>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, Body body, TermsAcceptanceService actions, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await actions.AcceptTermsAsync(tenantId, userId, body.Version, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblem.From(result.Error, context);
    }
}
