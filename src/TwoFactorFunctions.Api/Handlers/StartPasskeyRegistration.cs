using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Factors.Passkeys;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// POST <see cref="PasskeysApi.Routes.Registrations"/> — the user starts adding a passkey, with the id of a SelfService
/// challenge they just verified: the creation options for <c>navigator.credentials.create()</c>
/// (<c>PublicKeyCredential.parseCreationOptionsFromJSON(publicKey)</c>). Nothing is added until
/// <see cref="FinishPasskeyRegistration"/> gets the browser's answer to exactly these options.
/// </summary>
public static class StartPasskeyRegistration
{
    public sealed record Body(string? VerifiedChallengeId);

    public sealed record Registration(string CeremonyId, DateTimeOffset ExpiresAt, JsonElement PublicKey);

    public static async Task<Results<Created<Registration>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, [FromHeader(Name = DevicesApi.ActorHeader)] string? actorId, Body body,
        PasskeyRegistrationService registrations, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await registrations.StartAsync(tenantId, userId, actorId, body.VerifiedChallengeId, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiProblem.From(result.Error, context);
        }

        context.Response.Headers.CacheControl = "no-store";
        var pending = result.Value;
        return TypedResults.Created($"/{PasskeysApi.Routes.Passkeys.Replace("{tenantId}", tenantId).Replace("{userId}", userId)}",
            new Registration(pending.CeremonyId, pending.ExpiresAt, JsonDocument.Parse(pending.OptionsJson).RootElement.Clone()));
    }
}
