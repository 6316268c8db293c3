using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST <see cref="AccountsApi.Routes.ContactChanges"/>. See <see cref="Api.Handlers.StartContactChange"/>.</summary>
public sealed class StartContactChangeFunction(ApiPipeline api)
{
    [Function(nameof(StartContactChange))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AccountsApi.Routes.ContactChanges)] HttpRequest request) =>
        api.Dispatch();
}
