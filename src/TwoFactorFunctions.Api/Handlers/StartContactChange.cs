using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Accounts;
using TwoFactorFunctions.Core.Challenges;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// POST <see cref="AccountsApi.Routes.ContactChanges"/> — <c>{email}</c> or <c>{phone}</c>, with
/// <c>verifiedChallengeId</c>: a proof made with a factor the user already holds (CreateUserTwoFactorChallenge, answered
/// with the app if enrolled, else the code sent to the current contact). Spends it and sends a code to the new contact;
/// verify that with VerifyChallenge, then CompleteContactChange applies the change.
/// </summary>
public static class StartContactChange
{
    public sealed record Body(string? Email, string? Phone, string? VerifiedChallengeId);

    public static async Task<Results<Created<ChallengeView>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, [FromHeader(Name = DevicesApi.ActorHeader)] string? actorId, Body body,
        ContactChangeService contacts, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await contacts.StartAsync(tenantId, userId, actorId, body.Email, body.Phone, body.VerifiedChallengeId, cancellationToken);
        return result.IsSuccess
            ? TypedResults.Created($"/api/tenants/{tenantId}/challenges/{result.Value.ChallengeId}", result.Value)
            : ApiProblem.From(result.Error, context);
    }
}
