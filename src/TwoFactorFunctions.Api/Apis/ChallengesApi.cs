using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Http;

namespace TwoFactorFunctions.Api.Apis;

/// <summary>The sign-in challenge, called by the portal's server after its own password check.</summary>
public static class ChallengesApi
{
    /// <summary>
    /// Each route once, used by the map below and by the function app's triggers. No leading slash: the Functions
    /// host takes none, routing takes both.
    /// </summary>
    public static class Routes
    {
        public const string Challenges = "api/tenants/{tenantId}/challenges";
        public const string Challenge = "api/tenants/{tenantId}/challenges/{challengeId}";
        public const string Send = "api/tenants/{tenantId}/challenges/{challengeId}/send";
        public const string Verify = "api/tenants/{tenantId}/challenges/{challengeId}/verify";
        public const string PasskeyOptions = "api/tenants/{tenantId}/challenges/{challengeId}/passkey-options";
    }

    public static RouteGroupBuilder MapChallengesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags("Challenges");

        api.MapPost(Routes.Challenges, CreateChallenge.HandleAsync).WithName(nameof(CreateChallenge));

        // The browser may follow up on a challenge: mid sign-in with the challenge's token, signed in (step-up,
        // self-service) with its access token. Creating a sign-in challenge stays with the portal's server.
        api.MapGet(Routes.Challenge, GetChallenge.HandleAsync).WithName(nameof(GetChallenge)).AcceptsChallengeTokens().AcceptsAccessTokens();
        api.MapPost(Routes.Send, SendChallengeCode.HandleAsync).WithName(nameof(SendChallengeCode)).AcceptsChallengeTokens().AcceptsAccessTokens();
        api.MapPost(Routes.PasskeyOptions, OpenPasskeyCeremony.HandleAsync).WithName(nameof(OpenPasskeyCeremony)).AcceptsChallengeTokens().AcceptsAccessTokens();
        api.MapPost(Routes.Verify, VerifyChallenge.HandleAsync).WithName(nameof(VerifyChallenge)).AcceptsChallengeTokens().AcceptsAccessTokens();

        return api;
    }
}
