using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Handlers;

namespace TwoFactorFunctions.Api.Apis;

/// <summary>Tenants and users, kept in sync by the portal.</summary>
public static class DirectoryApi
{
    /// <summary>A 10,000-user import is about 2 MB; this leaves room for far larger companies.</summary>
    public const long ImportBodyLimit = 512L * 1024 * 1024;

    /// <summary>Each route once, for the map below and the function app's triggers (see <see cref="ChallengesApi.Routes"/>).</summary>
    public static class Routes
    {
        public const string Tenant = "api/tenants/{tenantId}";
        public const string User = "api/tenants/{tenantId}/users/{userId}";
        public const string UserImports = "api/tenants/{tenantId}/user-imports";
    }

    public static RouteGroupBuilder MapDirectoryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags("Directory");

        api.MapPut(Routes.Tenant, UpsertTenant.HandleAsync).WithName(nameof(UpsertTenant));
        api.MapPatch(Routes.Tenant, PatchTenant.HandleAsync).WithName(nameof(PatchTenant)).Accepts<PatchTenant.Body>(Http.MergePatch.MediaType, "application/json");
        api.MapGet(Routes.Tenant, GetTenant.HandleAsync).WithName(nameof(GetTenant));
        api.MapPut(Routes.User, UpsertUser.HandleAsync).WithName(nameof(UpsertUser));
        api.MapPatch(Routes.User, PatchUser.HandleAsync).WithName(nameof(PatchUser)).Accepts<PatchUser.Body>(Http.MergePatch.MediaType, "application/json");
        api.MapGet(Routes.User, GetUser.HandleAsync).WithName(nameof(GetUser));
        api.MapDelete(Routes.User, DeleteUser.HandleAsync).WithName(nameof(DeleteUser));
        api.MapPost(Routes.UserImports, ImportUsers.HandleAsync).WithName(nameof(ImportUsers))
            .WithMetadata(new RequestSizeLimitAttribute(ImportBodyLimit))
            .Accepts<IAsyncEnumerable<UpsertUser.Body>>("application/json");

        return api;
    }
}
