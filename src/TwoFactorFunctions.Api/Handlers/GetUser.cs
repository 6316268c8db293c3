using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>GET <see cref="DirectoryApi.Routes.User"/> — a user with their two-factor state.</summary>
public static class GetUser
{
    public sealed record UserResponse(
        string UserId, string DisplayName, string? Email, string? Phone, UserRole Role, bool Active,
        bool TwoFactorEnabled, Channel? VerifiedChannel, DateTimeOffset? EnrolledAt)
    {
        public static UserResponse From(DirectoryUser u) =>
            new(u.UserId, u.DisplayName, u.Email, u.Phone, u.Role, u.Active, u.TwoFactorEnabled, u.VerifiedChannel, u.EnrolledAt);
    }

    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, DirectoryService directory, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await directory.GetUserAsync(tenantId, userId, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(UserResponse.From(result.Value)) : ApiProblem.From(result.Error, context);
    }
}
