using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.FunctionApp.Durable;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET <see cref="TwoFactorSettingsApi.Routes.EnrolmentRun"/>. See <see cref="Api.Handlers.GetEnrolmentRun"/>.</summary>
public sealed class GetEnrolmentRunFunction(ApiPipeline api, EnrolmentOptions options)
{
    [Function(nameof(GetEnrolmentRun))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = TwoFactorSettingsApi.Routes.EnrolmentRun)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        api.Dispatch(new DurableClientEnrolmentEngine(client, options));
}
