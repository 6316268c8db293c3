using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>PUT <see cref="DirectoryApi.Routes.User"/> — create or update a user's directory fields.</summary>
public static class UpsertUser
{
    /// <summary>
    /// The whole user, as PUT means: <c>displayName</c>, <c>role</c> and <c>active</c> are required and at least one of
    /// <c>email</c> and <c>phone</c> (a contact left out is removed). <c>phone</c> in E.164 (+13035551212) or national
    /// format of the tenant's region. <c>temporaryPassword: true</c> when the portal gave the user a temporary password
    /// (the next sign-in must change it and set a recovery question; omitted or false leaves pending actions alone).
    /// To change some members only, PATCH (<see cref="PatchUser"/>).
    /// </summary>
    public sealed record Body(
        string? UserId,
        [property: JsonRequired] string DisplayName,
        string? Email,
        string? Phone,
        [property: JsonRequired] UserRole Role,
        [property: JsonRequired] bool Active,
        bool? TemporaryPassword = null)
    {
        /// <summary>The stored user as this body, the representation a PATCH is applied to.</summary>
        public static Body From(DirectoryUser user) => new(null, user.DisplayName, user.Email, user.Phone, user.Role, user.Active);

        public UserInput ToInput(string? userId) => new(userId, DisplayName, Email, Phone, Role.ToString(), Active, TemporaryPassword);
    }

    public static async Task<Results<Ok<GetUser.UserResponse>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, Body body, DirectoryService directory, HttpContext context, CancellationToken cancellationToken)
    {
        if (body.UserId is not null && body.UserId != userId)
        {
            return ApiProblem.Create(Core.Common.ErrorKind.Invalid, "user_id_mismatch", "userId in the body differs from the route.", context);
        }

        var result = await directory.UpsertUserAsync(tenantId, body.ToInput(userId), cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(GetUser.UserResponse.From(result.Value)) : ApiProblem.From(result.Error, context);
    }
}
