using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Core.Actions;

/// <summary>
/// When a required action may be completed or set, as pure functions of the rows in hand: no storage, no clock (the
/// time is passed in). The services only read rows and write the outcome.
/// </summary>
public static class RequiredActionRules
{
    public static readonly DomainError RecoveryNotSet = new(ErrorKind.NotFound, "recovery_question_not_set", "The user has not set a recovery question.");

    public static readonly DomainError NoTerms = new(ErrorKind.Conflict, "no_terms_published", "The tenant has not published terms of use.");

    public static readonly DomainError ReceiptRequired = new(ErrorKind.Forbidden, "password_check_required",
        "Mark a password changed with the receipt of a passing policy check for this user, used once within 10 minutes.");

    /// <summary>
    /// Why <paramref name="action"/> cannot be completed now, or null. An action is refused while an earlier one is still
    /// pending, so the user cannot skip ahead by calling the endpoints out of order; with
    /// <paramref name="mustBePending"/> it is also refused when it is not pending at all.
    /// </summary>
    public static DomainError? CompletionRefusal(Tenant tenant, DirectoryUser user, RequiredAction action, bool mustBePending)
    {
        var pending = RequiredActions.Pending(tenant, user);
        if (action == RequiredAction.AcceptTerms && tenant.TermsVersion == 0)
        {
            return NoTerms;
        }

        if (mustBePending && !pending.Contains(action))
        {
            return new DomainError(ErrorKind.Conflict, "required_action_not_pending", $"{action} is not pending for this user.")
                .With("pending", pending);
        }

        if (pending.Count > 0 && pending[0] < action)
        {
            return new DomainError(ErrorKind.Conflict, "required_action_out_of_order", $"{pending[0]} comes before {action}.")
                .With("next", pending[0]);
        }

        return null;
    }

    /// <summary>Whether the presented receipt (hashed) is the user's unexpired one; compared in constant time.</summary>
    public static bool AcceptsReceipt(DirectoryUser user, byte[] presentedHash, DateTimeOffset now) =>
        user.PasswordReceiptHash is { } stored && user.PasswordReceiptExpiresAt is { } expires && expires > now
        && CryptographicOperations.FixedTimeEquals(stored, presentedHash);

    /// <summary>The terms the user accepts must be the ones in force: a user shown older terms is sent back to read them.</summary>
    public static DomainError? TermsRefusal(Tenant tenant, int version) =>
        version != tenant.TermsVersion
            ? new DomainError(ErrorKind.Conflict, "terms_version_outdated", "The user was shown other terms than the current ones; show the current version.")
                .With("currentVersion", tenant.TermsVersion)
            : null;

    public static readonly DomainError InvalidForcedActions = new(ErrorKind.Invalid, "invalid_request",
        "actions must list one or more of UpdatePassword, SetRecoveryQuestion, AcceptTerms.");

    /// <summary>Whether the admin's list of actions to force is one or more, each a known action.</summary>
    public static bool IsValidForce([NotNullWhen(true)] IReadOnlyList<RequiredAction>? actions) =>
        actions is { Count: > 0 } && actions.All(Enum.IsDefined);

    /// <summary>
    /// The user with the forced actions pending: UpdatePassword and SetRecoveryQuestion as flags, AcceptTerms by forgetting
    /// the accepted version (it is derived from the tenant's terms, see <see cref="RequiredActions.Pending"/>).
    /// </summary>
    public static DirectoryUser Force(DirectoryUser user, IReadOnlyList<RequiredAction> actions)
    {
        var terms = actions.Contains(RequiredAction.AcceptTerms);
        var flags = actions.Where(a => a != RequiredAction.AcceptTerms);
        return user with
        {
            RequiredActions = user.RequiredActions.Concat(flags).Distinct().Order().ToArray(),
            AcceptedTermsVersion = terms ? null : user.AcceptedTermsVersion,
        };
    }
}
