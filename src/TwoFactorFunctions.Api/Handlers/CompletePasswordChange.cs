using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Actions;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// POST <see cref="RequiredActionsApi.Routes.PasswordChanges"/> — the portal stored the password it checked: spends the
/// check's receipt, completes UpdatePassword, and forgets the user's remembered devices.
/// </summary>
public static class CompletePasswordChange
{
    public sealed record Body([property: JsonRequired] string Receipt);

    public static async Task<Results<Ok<RequiredActionStatus>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, Body body, PasswordChangeService actions, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await actions.CompletePasswordChangeAsync(tenantId, userId, body.Receipt, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblem.From(result.Error, context);
    }
}
