using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Infrastructure.Communication;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// POST <see cref="AcsCallbacksApi.Routes.Callbacks"/> — Call Automation events for code calls (CloudEvents). Accepted only with a valid ACS JWT;
/// speaks the pending code once the call connects and hangs up after it has played.
/// </summary>
public static class AcsCallback
{
    public static async Task<Results<Ok, ProblemHttpResult>> HandleAsync(HttpContext context, AcsCallbackAuthenticator authenticator,
        AcsCallbackProcessor processor, CancellationToken cancellationToken)
    {
        if (!await authenticator.IsValidAsync(context.Request.Headers.Authorization.FirstOrDefault(), cancellationToken))
        {
            return ApiProblem.Create(ErrorKind.Unauthorized, "invalid_callback_token",
                "Call Automation callbacks must carry a valid ACS-signed token.", context);
        }

        IReadOnlyList<AcsCallEvent> events;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: cancellationToken);
            events = AcsCallEvent.Parse(body.RootElement);
        }
        catch (JsonException)
        {
            return ApiProblem.Create(ErrorKind.Invalid, "invalid_callback_body", "The body must be Call Automation CloudEvents (JSON).", context);
        }

        await processor.HandleAsync(events, cancellationToken);
        return TypedResults.Ok();
    }
}
