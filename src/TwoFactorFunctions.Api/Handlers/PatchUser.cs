using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// PATCH <see cref="DirectoryApi.Routes.User"/> (<c>application/merge-patch+json</c>) — change some of a user's members,
/// for a portal that syncs one field: members left out keep their values, <c>null</c> removes <c>email</c> or
/// <c>phone</c>. The result must still be a whole user (<see cref="UpsertUser.Body"/>) and is written as a PUT would be.
/// </summary>
public static class PatchUser
{
    /// <summary>What a patch may carry: every member optional.</summary>
    public sealed record Body(string? DisplayName, string? Email, string? Phone, UserRole? Role, bool? Active, bool? TemporaryPassword);

    public static async Task<Results<Ok<GetUser.UserResponse>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, HttpRequest request, DirectoryService directory, HttpContext context, CancellationToken cancellationToken)
    {
        // Read before anything else, so a malformed patch is refused the same way whether or not the user exists.
        var patch = await MergePatch.ReadAsync(request, cancellationToken);
        var current = await directory.GetUserAsync(tenantId, userId, cancellationToken);
        if (!current.IsSuccess)
        {
            return ApiProblem.From(current.Error, context);
        }

        var body = MergePatch.Merge(UpsertUser.Body.From(current.Value), patch, context);
        var result = await directory.UpsertUserAsync(tenantId, body.ToInput(userId), cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(GetUser.UserResponse.From(result.Value)) : ApiProblem.From(result.Error, context);
    }
}
