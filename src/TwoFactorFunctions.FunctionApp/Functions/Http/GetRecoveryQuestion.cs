using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET /api/tenants/{tenantId}/users/{userId}/recovery-question. See <see cref="Api.Handlers.GetRecoveryQuestion"/>.</summary>
public sealed class GetRecoveryQuestionFunction(ApiPipeline api)
{
    [Function("GetRecoveryQuestion")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/tenants/{tenantId}/users/{userId}/recovery-question")] HttpRequest request) =>
        api.Dispatch();
}
