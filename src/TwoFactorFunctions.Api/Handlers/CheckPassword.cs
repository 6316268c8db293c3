using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Actions;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// POST <see cref="RequiredActionsApi.Routes.PasswordChecks"/> — checks a proposed new password against the tenant's
/// policy before the portal stores it: <c>accepted</c> with a single-use <c>receipt</c>, or every violated rule's code.
/// The password is neither stored nor logged.
/// </summary>
public static class CheckPassword
{
    public sealed record Body([property: JsonRequired] string Password);

    public static async Task<Results<Ok<PasswordCheck>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, Body body, PasswordChangeService actions, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await actions.CheckPasswordAsync(tenantId, userId, body.Password, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblem.From(result.Error, context);
    }
}
