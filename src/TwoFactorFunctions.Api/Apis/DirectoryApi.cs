using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Handlers;

namespace TwoFactorFunctions.Api.Apis;

/// <summary>Tenants and users, kept in sync by the portal.</summary>
public static class DirectoryApi
{
    /// <summary>A 10,000-user import is about 2 MB; this leaves room for far larger companies.</summary>
    public const long ImportBodyLimit = 512L * 1024 * 1024;

    public static RouteGroupBuilder MapDirectoryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tenants/{tenantId}").WithTags("Directory");

        api.MapPut("/", UpsertTenant.HandleAsync).WithName(nameof(UpsertTenant));
        api.MapGet("/", GetTenant.HandleAsync).WithName(nameof(GetTenant));
        api.MapPut("/users/{userId}", UpsertUser.HandleAsync).WithName(nameof(UpsertUser));
        api.MapGet("/users/{userId}", GetUser.HandleAsync).WithName(nameof(GetUser));
        api.MapDelete("/users/{userId}", DeleteUser.HandleAsync).WithName(nameof(DeleteUser));
        api.MapPost("/user-imports", ImportUsers.HandleAsync).WithName(nameof(ImportUsers))
            .WithMetadata(new RequestSizeLimitAttribute(ImportBodyLimit))
            .Accepts<IAsyncEnumerable<UpsertUser.Body>>("application/json");

        return api;
    }
}
