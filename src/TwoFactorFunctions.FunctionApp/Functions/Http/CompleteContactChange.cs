using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST <see cref="AccountsApi.Routes.ContactChangeCompletion"/>. See <see cref="Api.Handlers.CompleteContactChange"/>.</summary>
public sealed class CompleteContactChangeFunction(ApiPipeline api)
{
    [Function(nameof(CompleteContactChange))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AccountsApi.Routes.ContactChangeCompletion)] HttpRequest request) =>
        api.Dispatch();
}
