using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST <see cref="RequiredActionsApi.Routes.TermsAcceptances"/>. See <see cref="Api.Handlers.AcceptTerms"/>.</summary>
public sealed class AcceptTermsFunction(ApiPipeline api)
{
    [Function(nameof(AcceptTerms))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = RequiredActionsApi.Routes.TermsAcceptances)] HttpRequest request) =>
        api.Dispatch();
}
