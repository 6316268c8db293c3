using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Actions;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// POST <see cref="RequiredActionsApi.Routes.Terms"/> — the portal's operator publishes a new version of the terms of use (where its
/// text is shown); every user of the tenant accepts it at their next sign-in.
/// </summary>
public static class PublishTerms
{
    public sealed record Body([property: JsonRequired] string Url);

    public static async Task<Results<Created<TermsOfUse>, ProblemHttpResult>> HandleAsync(
        string tenantId, Body body, SignInPolicyService policies, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await policies.PublishTermsAsync(tenantId, body.Url, cancellationToken);
        return result.IsSuccess
            ? TypedResults.Created($"/api/tenants/{Uri.EscapeDataString(tenantId)}/sign-in-policy", result.Value)
            : ApiProblem.From(result.Error, context);
    }
}
