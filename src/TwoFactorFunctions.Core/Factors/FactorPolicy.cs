using System.Text.Json.Serialization;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Core.Factors;

/// <summary>A way to answer a sign-in challenge.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Factor>))]
public enum Factor
{
    /// <summary>A one-time code sent over the tenant's channel (email, SMS or voice call).</summary>
    Code,

    /// <summary>A TOTP code from an authenticator app (RFC 6238).</summary>
    Authenticator,

    /// <summary>One of the user's single-use recovery codes.</summary>
    RecoveryCode,

    /// <summary>
    /// A passkey (WebAuthn): a signature over a fresh server challenge, bound by the browser to the relying party's
    /// origin, so it cannot be typed into a look-alike page and relayed — the one phishing-resistant factor.
    /// </summary>
    Passkey,
}

/// <summary>
/// Which factors count for a tenant's sign-ins and which one is offered first. The code over the tenant's channel stays
/// usable, whatever the policy, by a user who has no stronger factor yet: it is how they sign in to enrol one.
/// </summary>
public sealed record FactorPolicy
{
    public static readonly FactorPolicy Default = new();

    public IReadOnlyList<Factor> Allowed { get; init; } = [Factor.Code, Factor.Authenticator, Factor.RecoveryCode, Factor.Passkey];

    public Factor Preferred { get; init; } = Factor.Code;

    /// <summary>Admins who have an authenticator must use it (or a recovery code); admins without one are told to enrol.</summary>
    public bool AuthenticatorRequiredForAdmins { get; init; }

    /// <summary>
    /// Admins who have a passkey must sign in and step up with it, and nothing else: every other factor can be relayed
    /// by a look-alike page, and an admin's account opens everyone else's. Admins without one are told to add one.
    /// </summary>
    public bool PhishingResistantRequiredForAdmins { get; init; }

    public bool Allows(Factor factor) => Allowed.Contains(factor);

    /// <summary>The policy holds this user to an authenticator app: an admin under <see cref="AuthenticatorRequiredForAdmins"/>.</summary>
    public bool RequiresAuthenticatorOf(DirectoryUser user) => AuthenticatorRequiredForAdmins && user.Role == UserRole.Admin;

    /// <summary>The policy holds this user to a passkey: an admin under <see cref="PhishingResistantRequiredForAdmins"/>.</summary>
    public bool RequiresPasskeyOf(DirectoryUser user) => PhishingResistantRequiredForAdmins && user.Role == UserRole.Admin;

    public DomainError? Validate()
    {
        if (Allowed is null || Allowed.Count == 0 || Allowed.Any(f => !Enum.IsDefined(f)) || !Enum.IsDefined(Preferred))
        {
            return new DomainError(ErrorKind.Invalid, "invalid_factor_policy",
                "factors.allowed must list one or more of Code, Authenticator, RecoveryCode, Passkey, and factors.preferred must be one of them.");
        }

        if (!Allowed.Contains(Preferred))
        {
            return new DomainError(ErrorKind.Invalid, "invalid_factor_policy", "factors.preferred must be one of factors.allowed.");
        }

        // Recovery codes are the fallback of an authenticator, not a factor of their own.
        if (Allowed.Contains(Factor.RecoveryCode) && !Allowed.Contains(Factor.Authenticator))
        {
            return new DomainError(ErrorKind.Invalid, "invalid_factor_policy", "RecoveryCode is allowed only together with Authenticator.");
        }

        if (Preferred == Factor.RecoveryCode)
        {
            return new DomainError(ErrorKind.Invalid, "invalid_factor_policy", "factors.preferred must be Code, Authenticator or Passkey.");
        }

        // Requiring a passkey of admins under a policy that refuses passkeys would hold admins to nothing at all.
        if (PhishingResistantRequiredForAdmins && !Allowed.Contains(Factor.Passkey))
        {
            return new DomainError(ErrorKind.Invalid, "invalid_factor_policy", "phishingResistantRequiredForAdmins needs Passkey in factors.allowed.");
        }

        return null;
    }

    /// <summary>Adding Code or RecoveryCode, or dropping either admins' requirement, makes sign-ins easier to pass.</summary>
    public bool IsWeakerThan(FactorPolicy before) =>
        (Allows(Factor.Code) && !before.Allows(Factor.Code))
        || (Allows(Factor.RecoveryCode) && !before.Allows(Factor.RecoveryCode))
        || (before.AuthenticatorRequiredForAdmins && !AuthenticatorRequiredForAdmins)
        || (before.PhishingResistantRequiredForAdmins && !PhishingResistantRequiredForAdmins);

    public bool SameAs(FactorPolicy other) =>
        Allowed.Order().SequenceEqual(other.Allowed.Order()) && Preferred == other.Preferred
        && AuthenticatorRequiredForAdmins == other.AuthenticatorRequiredForAdmins
        && PhishingResistantRequiredForAdmins == other.PhishingResistantRequiredForAdmins;

    public FactorPolicy Normalised() => this with { Allowed = Allowed.Distinct().Order().ToArray() };

    public override string ToString() =>
        $"allowed [{string.Join(", ", Allowed)}], preferred {Preferred}, authenticator required for admins {AuthenticatorRequiredForAdmins}, phishing-resistant required for admins {PhishingResistantRequiredForAdmins}";
}
