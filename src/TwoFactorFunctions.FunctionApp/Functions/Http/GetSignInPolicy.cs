using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET /api/tenants/{tenantId}/sign-in-policy. See <see cref="Api.Handlers.GetSignInPolicy"/>.</summary>
public sealed class GetSignInPolicyFunction(ApiPipeline api)
{
    [Function("GetSignInPolicy")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/tenants/{tenantId}/sign-in-policy")] HttpRequest request) =>
        api.Dispatch();
}
