using TwoFactorFunctions.Api.Handlers;

namespace TwoFactorFunctions.Api.Apis;

/// <summary>The sign-in challenge, called by the portal's server after its own password check.</summary>
public static class ChallengesApi
{
    public static RouteGroupBuilder MapChallengesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tenants/{tenantId}/challenges").WithTags("Challenges");

        api.MapPost("/", CreateChallenge.HandleAsync).WithName(nameof(CreateChallenge));
        api.MapGet("/{challengeId}", GetChallenge.HandleAsync).WithName(nameof(GetChallenge));
        api.MapPost("/{challengeId}/send", SendChallengeCode.HandleAsync).WithName(nameof(SendChallengeCode));
        api.MapPost("/{challengeId}/verify", VerifyChallenge.HandleAsync).WithName(nameof(VerifyChallenge));

        return api;
    }
}
