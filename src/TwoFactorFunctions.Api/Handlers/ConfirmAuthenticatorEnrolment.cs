using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.Core.Messaging;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// POST <see cref="FactorsApi.Routes.AuthenticatorConfirmation"/> — the first code from the app activates it; the
/// answer carries the 10 recovery codes, shown once (also as a text file's content). Wrong codes count toward lockout.
/// </summary>
public static class ConfirmAuthenticatorEnrolment
{
    public sealed record Body([property: JsonRequired] string Code);

    public static async Task<Results<Ok<RecoveryCodesResult>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, [FromHeader(Name = DevicesApi.ActorHeader)] string? actorId, Body body,
        AuthenticatorEnrolmentService authenticators, AccountNotices notices, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await authenticators.ConfirmEnrolmentAsync(tenantId, userId, actorId, body.Code, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiProblem.From(result.Error, context);
        }

        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(RecoveryCodesResult.From(result.Value, notices.ProductName));
    }
}
