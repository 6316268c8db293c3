using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST /api/tenants/{tenantId}/users/{userId}/recovery-answer-checks. See <see cref="Api.Handlers.CheckRecoveryAnswer"/>.</summary>
public sealed class CheckRecoveryAnswerFunction(ApiPipeline api)
{
    [Function("CheckRecoveryAnswer")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/tenants/{tenantId}/users/{userId}/recovery-answer-checks")] HttpRequest request) =>
        api.Dispatch();
}
