using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST <see cref="ChallengesApi.Routes.Send"/>. See <see cref="Api.Handlers.SendChallengeCode"/>.</summary>
public sealed class SendChallengeCodeFunction(ApiPipeline api)
{
    [Function(nameof(SendChallengeCode))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ChallengesApi.Routes.Send)] HttpRequest request) =>
        api.Dispatch();
}
