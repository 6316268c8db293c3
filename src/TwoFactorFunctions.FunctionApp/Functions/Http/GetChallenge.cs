using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET <see cref="ChallengesApi.Routes.Challenge"/>. See <see cref="Api.Handlers.GetChallenge"/>.</summary>
public sealed class GetChallengeFunction(ApiPipeline api)
{
    [Function(nameof(GetChallenge))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ChallengesApi.Routes.Challenge)] HttpRequest request) =>
        api.Dispatch();
}
