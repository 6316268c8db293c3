using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Hosting;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.FunctionApp.Durable;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>PUT <see cref="TwoFactorSettingsApi.Routes.TwoFactor"/>. See <see cref="Api.Handlers.UpdateTwoFactorSettings"/>.</summary>
public sealed class UpdateTwoFactorSettingsFunction(ApiPipeline api, EnrolmentOptions options)
{
    [Function(nameof(UpdateTwoFactorSettings))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = TwoFactorSettingsApi.Routes.TwoFactor)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        api.Dispatch(new DurableClientEnrolmentEngine(client, options));
}
