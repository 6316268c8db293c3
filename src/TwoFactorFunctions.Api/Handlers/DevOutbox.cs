using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Infrastructure.Communication;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>GET /api/dev/outbox/{phone} — Development only: the messages held for an E.164 number, newest first.</summary>
public static class DevOutbox
{
    public static async Task<Results<Ok<IReadOnlyList<DevOutboxMessage>>, ProblemHttpResult>> HandleAsync(
        string phone, DevOutboxSender outbox, HttpContext context, CancellationToken cancellationToken)
    {
        if (phone is not { Length: >= 4 and <= 16 } || phone[0] != '+' || phone.AsSpan(1).ContainsAnyExceptInRange('0', '9'))
        {
            return ApiProblem.Create(ErrorKind.Invalid, "invalid_phone", "The phone number must be E.164, for example +13035551212.", context);
        }

        return TypedResults.Ok(await outbox.ListAsync(phone, cancellationToken));
    }
}
