using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Factors.Passkeys;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>PATCH <see cref="PasskeysApi.Routes.Passkey"/> — a new name for one of the user's passkeys (a name proves nothing: no proof needed).</summary>
public static class RenamePasskey
{
    public sealed record Body([property: JsonRequired] string Name);

    public static async Task<Results<Ok<PasskeyInfo>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, string passkeyId, [FromHeader(Name = DevicesApi.ActorHeader)] string? actorId, Body body,
        PasskeyService passkeys, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await passkeys.RenameAsync(tenantId, userId, actorId, passkeyId, body.Name, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblem.From(result.Error, context);
    }
}
