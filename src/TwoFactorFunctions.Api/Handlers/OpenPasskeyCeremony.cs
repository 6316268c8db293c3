using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Challenges;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// POST <see cref="ChallengesApi.Routes.PasskeyOptions"/> — the request options for <c>navigator.credentials.get()</c>
/// (<c>PublicKeyCredential.parseRequestOptionsFromJSON(publicKey)</c>) to answer this challenge with a passkey. Each call
/// replaces the previous options. <c>discoverable: true</c> leaves the allow-list out, so the browser offers the
/// passkeys it holds for the site; the verify accepts only this user's.
/// </summary>
public static class OpenPasskeyCeremony
{
    public sealed record Body(bool? Discoverable);

    public sealed record Ceremony(JsonElement PublicKey);

    public static async Task<Results<Ok<Ceremony>, ProblemHttpResult>> HandleAsync(
        string tenantId, string challengeId, Body? body, PasskeyCeremonies ceremonies, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await ceremonies.OpenAsync(tenantId, challengeId, body?.Discoverable ?? false, cancellationToken);
        return result.IsSuccess
            ? TypedResults.Ok(new Ceremony(JsonDocument.Parse(result.Value).RootElement.Clone()))
            : ApiProblem.From(result.Error, context);
    }
}
