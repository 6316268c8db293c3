using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST <see cref="AccountsApi.Routes.TwoFactorChallenges"/>. See <see cref="Api.Handlers.CreateUserTwoFactorChallenge"/>.</summary>
public sealed class CreateUserTwoFactorChallengeFunction(ApiPipeline api)
{
    [Function(nameof(CreateUserTwoFactorChallenge))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AccountsApi.Routes.TwoFactorChallenges)] HttpRequest request) =>
        api.Dispatch();
}
