using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET <see cref="AuditApi.Routes.Audit"/>. See <see cref="Api.Handlers.ListAuditEvents"/>.</summary>
public sealed class ListAuditEventsFunction(ApiPipeline api)
{
    [Function(nameof(ListAuditEvents))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = AuditApi.Routes.Audit)] HttpRequest request) =>
        api.Dispatch();
}
