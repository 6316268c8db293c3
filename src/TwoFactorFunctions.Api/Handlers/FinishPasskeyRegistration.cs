using System.Text.Json.Serialization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Factors.Passkeys;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// POST <see cref="PasskeysApi.Routes.Passkeys"/> — the browser's answer to a registration's options
/// (<c>credential.toJSON()</c>), with the registration's <c>ceremonyId</c> and an optional name. The ceremony is single
/// use: a second answer to it, or one after it expired, is refused.
/// </summary>
public static class FinishPasskeyRegistration
{
    public sealed record Body([property: JsonRequired] string CeremonyId, string? Name, [property: JsonRequired] JsonElement Credential);

    public static async Task<Results<Created<PasskeyInfo>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, [FromHeader(Name = DevicesApi.ActorHeader)] string? actorId, Body body,
        PasskeyRegistrationService registrations, HttpContext context, CancellationToken cancellationToken)
    {
        var credential = body.Credential.ValueKind == JsonValueKind.Object ? body.Credential.GetRawText() : null;
        var result = await registrations.FinishAsync(tenantId, userId, actorId, body.CeremonyId, credential, body.Name, cancellationToken);
        return result.IsSuccess
            ? TypedResults.Created($"/{PasskeysApi.Routes.Passkey.Replace("{tenantId}", tenantId).Replace("{userId}", userId).Replace("{passkeyId}", result.Value.PasskeyId)}",
                PasskeyInfo.Of(result.Value))
            : ApiProblem.From(result.Error, context);
    }
}
