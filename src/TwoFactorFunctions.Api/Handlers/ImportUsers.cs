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
/// transactions: the request is never held in memory whole. Invalid entries are reported by index and skipped.
/// A body that stops being JSON part-way ends the import at that point with 400; what came before it is kept.
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
            yield return item is null ? null : new UserInput(item.UserId, item.DisplayName, item.Email, item.Phone, item.Role, item.Active, item.TemporaryPassword);
        }
    }
}
