using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET <see cref="FactorsApi.Routes.Factors"/>. See <see cref="Api.Handlers.GetUserFactors"/>.</summary>
public sealed class GetUserFactorsFunction(ApiPipeline api)
{
    [Function(nameof(GetUserFactors))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FactorsApi.Routes.Factors)] HttpRequest request) =>
        api.Dispatch();
}
