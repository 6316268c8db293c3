using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST /api/tenants/{tenantId}/challenges/{challengeId}/send. See <see cref="Api.Handlers.SendChallengeCode"/>.</summary>
public sealed class SendChallengeCodeFunction(ApiPipeline api)
{
    [Function("SendChallengeCode")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/tenants/{tenantId}/challenges/{challengeId}/send")] HttpRequest request) =>
        api.Dispatch();
}
