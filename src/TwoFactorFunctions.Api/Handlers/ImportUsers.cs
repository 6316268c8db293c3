using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// POST <see cref="DirectoryApi.Routes.UserImports"/> — a JSON array of users, read as a stream and written in 100-user
/// transactions: the request is never held in memory whole. Each entry is a whole user as PUT takes it
/// (<see cref="UpsertUser.Body"/>, <c>userId</c> required here). Entries whose values the rules refuse are reported by
/// index and skipped; an entry that is not of the documented shape (not JSON, an unknown or a missing required member)
/// ends the import at that point with 400 <c>invalid_body</c>; what came before it is kept.
/// </summary>
public static class ImportUsers
{
    public static async Task<Results<Ok<ImportReport>, ProblemHttpResult>> HandleAsync(
        string tenantId, HttpRequest request, DirectoryService directory, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        HttpContext context, CancellationToken cancellationToken)
    {
        var inputs = ReadAsync(request.Body, json.Value.SerializerOptions, cancellationToken);
        var result = await directory.ImportAsync(tenantId, inputs, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblem.From(result.Error, context);
    }

    private static async IAsyncEnumerable<UserInput?> ReadAsync(Stream body, JsonSerializerOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in JsonSerializer.DeserializeAsyncEnumerable<UpsertUser.Body>(body, options, cancellationToken))
        {
            yield return item?.ToInput(item.UserId);
        }
    }
}
