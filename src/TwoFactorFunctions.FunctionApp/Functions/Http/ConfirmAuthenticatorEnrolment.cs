using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>POST /api/tenants/{tenantId}/users/{userId}/authenticator/confirm. See <see cref="Api.Handlers.ConfirmAuthenticatorEnrolment"/>.</summary>
public sealed class ConfirmAuthenticatorEnrolmentFunction(ApiPipeline api)
{
    [Function("ConfirmAuthenticatorEnrolment")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/tenants/{tenantId}/users/{userId}/authenticator/confirm")] HttpRequest request) =>
        api.Dispatch();
}
