using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST /api/tenants/{tenantId}/two-factor/step-up. See <see cref="Api.Handlers.CreateAdminStepUp"/>.</summary>
public sealed class CreateAdminStepUpFunction(ApiPipeline api)
{
    [Function("CreateAdminStepUp")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/tenants/{tenantId}/two-factor/step-up")] HttpRequest request) =>
        api.Dispatch();
}
