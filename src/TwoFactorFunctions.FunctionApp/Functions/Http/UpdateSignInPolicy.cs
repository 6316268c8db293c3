using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>PUT /api/tenants/{tenantId}/sign-in-policy. See <see cref="Api.Handlers.UpdateSignInPolicy"/>.</summary>
public sealed class UpdateSignInPolicyFunction(ApiPipeline api)
{
    [Function("UpdateSignInPolicy")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/tenants/{tenantId}/sign-in-policy")] HttpRequest request) =>
        api.Dispatch();
}
