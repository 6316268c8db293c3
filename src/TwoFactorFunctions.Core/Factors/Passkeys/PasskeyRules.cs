using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Core.Factors.Passkeys;

/// <summary>Whether a passkey may be added, renamed, removed or its assertion's counter accepted: pure functions of the rows as read.</summary>
public static class PasskeyRules
{
    /// <summary>Enough for a user's devices and security keys, and a bound on the factor row's size (one entity, 1 MiB).</summary>
    public const int MaxPerUser = 10;

    public const int MaxNameLength = 64;

    public static readonly DomainError Unavailable = new(ErrorKind.Unavailable, "passkey_unavailable",
        "Passkeys are not configured on this deployment (no relying party).");

    public static readonly DomainError NotAllowed = new(ErrorKind.Conflict, "factor_not_allowed",
        "Your company's sign-in policy does not allow passkeys.");

    public static readonly DomainError NotFound = new(ErrorKind.NotFound, "passkey_not_found", "The user has no such passkey.");

    public static readonly DomainError LimitReached = new(ErrorKind.Conflict, "passkey_limit_reached",
        $"A user can have at most {MaxPerUser} passkeys: remove one first.");

    public static readonly DomainError NoPendingRegistration = new(ErrorKind.Conflict, "no_pending_passkey_registration",
        "There is no passkey registration to finish (it expired, was used, or another one was started); start one again.");

    public static readonly DomainError RequiredForAdmins = new(ErrorKind.Conflict, "passkey_required_for_admins",
        "Your company requires administrators to sign in with a passkey; the last one cannot be removed.");

    public static readonly DomainError Replayed = new(ErrorKind.Conflict, "passkey_assertion_replayed",
        "This passkey answer has been used already.");

    public static readonly DomainError CounterRegressed = new(ErrorKind.Conflict, "passkey_counter_regressed",
        "This passkey's signature counter went backwards: it may have been cloned. It was not accepted; use another factor and tell your administrator.");

    /// <summary>Why no passkey can be added here, or null.</summary>
    public static DomainError? RegistrationRefusal(Tenant tenant, UserFactors held, bool available) =>
        !available ? Unavailable
        : !tenant.FactorPolicy.Allows(Factor.Passkey) ? NotAllowed
        : held.Passkeys.Count >= MaxPerUser ? LimitReached
        : null;

    /// <summary>
    /// Why this passkey cannot be removed, or null: an admin held to a phishing-resistant factor keeps at least one (an
    /// admin without any is recovered by another admin's reset, itself proven with a passkey).
    /// </summary>
    public static DomainError? RemovalRefusal(Tenant tenant, DirectoryUser user, UserFactors held, string passkeyId) =>
        Find(held, passkeyId) is null ? NotFound
        : tenant.FactorPolicy.RequiresPasskeyOf(user) && held.Passkeys.Count == 1 ? RequiredForAdmins
        : null;

    /// <summary>A name is 1–64 characters without control characters; null or blank gives a default.</summary>
    public static Result<string> Name(string? requested, int number)
    {
        var name = requested?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return $"Passkey {number}";
        }

        return name.Length > MaxNameLength || name.Any(char.IsControl)
            ? new DomainError(ErrorKind.Invalid, "invalid_passkey_name", $"name must be 1 to {MaxNameLength} characters without control characters.")
            : name;
    }

    public static Passkey? Find(UserFactors held, string passkeyId) => held.Passkeys.FirstOrDefault(p => p.PasskeyId == passkeyId);

    public static Passkey? FindByCredentialId(UserFactors held, ReadOnlySpan<byte> credentialId)
    {
        foreach (var passkey in held.Passkeys)
        {
            if (credentialId.SequenceEqual(passkey.CredentialId))
            {
                return passkey;
            }
        }

        return null;
    }

    /// <summary>
    /// The signature counter rule (WebAuthn §7.2 step 21): when either the stored or the presented counter is non-zero, the
    /// presented one must be above the stored one. The same non-zero counter again, within the ceremony that last used
    /// the passkey, is that very assertion presented again (parallel requests with one answer); anywhere else — a
    /// signature over another ceremony that did not move the counter on, a lower counter, a fall back to 0 — another
    /// copy of the key is signing: a possible clone. A passkey that keeps no counter (synced passkeys report 0 every
    /// time) passes with 0. Stricter than the library's check, which lets a counter fall back to 0.
    /// </summary>
    /// <param name="sameCeremony">The assertion answers the challenge the passkey last answered.</param>
    public static CounterVerdict Counter(uint stored, uint presented, bool sameCeremony) =>
        (stored == 0 && presented == 0) || presented > stored ? CounterVerdict.Accepted
        : presented == stored && sameCeremony ? CounterVerdict.Replayed
        : CounterVerdict.Regressed;

    /// <summary>The passkey as written back after a verified assertion: the counter, the backup state, the last use and its challenge.</summary>
    public static Passkey Used(Passkey passkey, PasskeyAssertion assertion, string challengeId, DateTimeOffset now) =>
        passkey with { SignCount = assertion.SignCount, BackedUp = assertion.BackedUp, LastUsedAt = now, LastChallengeId = challengeId };
}

public enum CounterVerdict
{
    Accepted,

    /// <summary>The counter of the assertion accepted for this very ceremony: the same answer presented again.</summary>
    Replayed,

    /// <summary>Below the highest seen: two copies of the key are signing.</summary>
    Regressed,
}
