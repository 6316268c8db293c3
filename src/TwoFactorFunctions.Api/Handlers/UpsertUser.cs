using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>PUT <see cref="DirectoryApi.Routes.User"/> — create or update a user's directory fields.</summary>
public static class UpsertUser
{
    /// <summary>
    /// One user. <c>phone</c> in E.164 (+13035551212) or national format of the tenant's region; <c>role</c> Admin or User;
    /// <c>temporaryPassword: true</c> when the portal gave the user a temporary password (the next sign-in must change it
    /// and set a recovery question; omitted or false leaves the user's pending actions alone).
    /// </summary>
    public sealed record Body(string? UserId, string? DisplayName, string? Email, string? Phone, string? Role, bool? Active, bool? TemporaryPassword = null);

    public static async Task<Results<Ok<GetUser.UserResponse>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, Body body, DirectoryService directory, HttpContext context, CancellationToken cancellationToken)
    {
        if (body.UserId is not null && body.UserId != userId)
        {
            return ApiProblem.Create(Core.Common.ErrorKind.Invalid, "user_id_mismatch", "userId in the body differs from the route.", context);
        }

        var input = new UserInput(userId, body.DisplayName, body.Email, body.Phone, body.Role, body.Active, body.TemporaryPassword);
        var result = await directory.UpsertUserAsync(tenantId, input, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(GetUser.UserResponse.From(result.Value)) : ApiProblem.From(result.Error, context);
    }
}
