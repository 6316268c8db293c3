using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Infrastructure.Communication;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// GET <see cref="DevOutboxApi.Routes.Outbox"/> — Development only: the messages the tenant sent to an E.164 number,
/// newest first. Under the tenant's route so a key limited to other tenants is refused like on any tenant endpoint.
/// </summary>
public static class DevOutbox
{
    public static async Task<Results<Ok<IReadOnlyList<DevOutboxMessage>>, ProblemHttpResult>> HandleAsync(
        string tenantId, string phone, DevOutboxSender outbox, HttpContext context, CancellationToken cancellationToken)
    {
        if (phone is not { Length: >= 4 and <= 16 } || phone[0] != '+' || phone.AsSpan(1).ContainsAnyExceptInRange('0', '9'))
        {
            return ApiProblem.Create(ErrorKind.Invalid, "invalid_phone", "The phone number must be E.164, for example +13035551212.", context);
        }

        return TypedResults.Ok(await outbox.ListAsync(tenantId, phone, cancellationToken));
    }
}
