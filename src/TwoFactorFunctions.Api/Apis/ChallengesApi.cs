using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Http;

namespace TwoFactorFunctions.Api.Apis;

/// <summary>The sign-in challenge, called by the portal's server after its own password check.</summary>
public static class ChallengesApi
{
    public static RouteGroupBuilder MapChallengesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tenants/{tenantId}/challenges").WithTags("Challenges");

        api.MapPost("/", CreateChallenge.HandleAsync).WithName(nameof(CreateChallenge));

        // The browser may follow up on a challenge: mid sign-in with the challenge's token, signed in (step-up,
        // self-service) with its access token. Creating a sign-in challenge stays with the portal's server.
        api.MapGet("/{challengeId}", GetChallenge.HandleAsync).WithName(nameof(GetChallenge)).AcceptsChallengeTokens().AcceptsAccessTokens();
        api.MapPost("/{challengeId}/send", SendChallengeCode.HandleAsync).WithName(nameof(SendChallengeCode)).AcceptsChallengeTokens().AcceptsAccessTokens();
        api.MapPost("/{challengeId}/verify", VerifyChallenge.HandleAsync).WithName(nameof(VerifyChallenge)).AcceptsChallengeTokens().AcceptsAccessTokens();

        return api;
    }
}
