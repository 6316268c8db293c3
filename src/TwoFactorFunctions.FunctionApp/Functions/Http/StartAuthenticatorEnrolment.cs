using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST /api/tenants/{tenantId}/users/{userId}/authenticator. See <see cref="Api.Handlers.StartAuthenticatorEnrolment"/>.</summary>
public sealed class StartAuthenticatorEnrolmentFunction(ApiPipeline api)
{
    [Function("StartAuthenticatorEnrolment")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/tenants/{tenantId}/users/{userId}/authenticator")] HttpRequest request) =>
        api.Dispatch();
}
