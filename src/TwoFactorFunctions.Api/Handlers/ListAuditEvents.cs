using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Security;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>GET <see cref="AuditApi.Routes.Audit"/>?pageSize=&amp;continuationToken= — security events, newest first (admins only).</summary>
public static class ListAuditEvents
{
    private const int MaxPageSize = 200;
    private const int MaxTokenLength = 1024;

    public sealed record AuditPage(IReadOnlyList<AuditEvent> Events, string? ContinuationToken);

    public static async Task<Results<Ok<AuditPage>, ProblemHttpResult>> HandleAsync(
        string tenantId, [FromHeader(Name = DevicesApi.ActorHeader)] string? actorId, int? pageSize, string? continuationToken,
        ActorRules actors, IAuditLog audit, HttpContext context, CancellationToken cancellationToken)
    {
        var admin = await actors.RequireAdminAsync(tenantId, actorId, cancellationToken);
        if (!admin.IsSuccess)
        {
            return ApiProblem.From(admin.Error, context);
        }

        if (pageSize is < 1 or > MaxPageSize || continuationToken is { Length: > MaxTokenLength })
        {
            return ApiProblem.Create(ErrorKind.Invalid, "invalid_paging", $"pageSize must be 1-{MaxPageSize}; continuationToken as returned.", context);
        }

        var page = await audit.ListAsync(tenantId, continuationToken, pageSize ?? 50, cancellationToken);
        return TypedResults.Ok(new AuditPage(page.Items, page.ContinuationToken));
    }
}
