using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST <see cref="ChallengesApi.Routes.Challenges"/>. See <see cref="Api.Handlers.CreateChallenge"/>.</summary>
public sealed class CreateChallengeFunction(ApiPipeline api)
{
    [Function(nameof(CreateChallenge))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ChallengesApi.Routes.Challenges)] HttpRequest request) =>
        api.Dispatch();
}
