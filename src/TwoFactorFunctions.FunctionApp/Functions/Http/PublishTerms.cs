using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST <see cref="RequiredActionsApi.Routes.Terms"/>. See <see cref="Api.Handlers.PublishTerms"/>.</summary>
public sealed class PublishTermsFunction(ApiPipeline api)
{
    [Function(nameof(PublishTerms))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = RequiredActionsApi.Routes.Terms)] HttpRequest request) =>
        api.Dispatch();
}
