using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST <see cref="AccountsApi.Routes.ChangeReports"/>. See <see cref="Api.Handlers.ReportChange"/>.</summary>
public sealed class ReportChangeFunction(ApiPipeline api)
{
    [Function(nameof(ReportChange))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AccountsApi.Routes.ChangeReports)] HttpRequest request) =>
        api.Dispatch();
}
