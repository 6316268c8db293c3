using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Accounts;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// POST <see cref="AccountsApi.Routes.ChangeReports"/> — <c>{token}</c> from a change notice ("this wasn't me"),
/// posted by the portal's server: the account is locked until an admin unlocks it, remembered devices are forgotten,
/// and the tenant's admins and the platform's security address are alerted.
/// </summary>
public static class ReportChange
{
    public sealed record Body([property: JsonRequired] string Token);

    public static async Task<Results<Accepted, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, Body body, ChangeReportService reports, HttpContext context, CancellationToken cancellationToken)
    {
        var error = await reports.ReportAsync(tenantId, userId, body.Token, cancellationToken);
        return error is null ? TypedResults.Accepted((string?)null) : ApiProblem.From(error, context);
    }
}
