using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>DELETE <see cref="DirectoryApi.Routes.User"/> — remove a user and their counters and trusted devices.</summary>
public static class DeleteUser
{
    public static async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, DirectoryService directory, HttpContext context, CancellationToken cancellationToken)
    {
        var error = await directory.DeleteUserAsync(tenantId, userId, cancellationToken);
        return error is null ? TypedResults.NoContent() : ApiProblem.From(error, context);
    }
}
