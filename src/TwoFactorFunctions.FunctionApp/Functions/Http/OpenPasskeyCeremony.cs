using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST <see cref="ChallengesApi.Routes.PasskeyOptions"/>. See <see cref="Api.Handlers.OpenPasskeyCeremony"/>.</summary>
public sealed class OpenPasskeyCeremonyFunction(ApiPipeline api)
{
    [Function(nameof(OpenPasskeyCeremony))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ChallengesApi.Routes.PasskeyOptions)] HttpRequest request) =>
        api.Dispatch();
}
