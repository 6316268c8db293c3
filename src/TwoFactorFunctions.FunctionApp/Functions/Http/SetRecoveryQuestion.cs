using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>PUT /api/tenants/{tenantId}/users/{userId}/recovery-question. See <see cref="Api.Handlers.SetRecoveryQuestion"/>.</summary>
public sealed class SetRecoveryQuestionFunction(ApiPipeline api)
{
    [Function("SetRecoveryQuestion")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/tenants/{tenantId}/users/{userId}/recovery-question")] HttpRequest request) =>
        api.Dispatch();
}
