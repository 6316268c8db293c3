using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Core.Factors;

/// <summary>
/// Whether an authenticator may be enrolled, removed or its recovery codes regenerated, and what the user sees of it:
/// pure functions of the tenant, the user and the factor row as read (the time is passed in). <c>appAvailable</c> is
/// whether authenticator secrets can be sealed at all (a TOTP encryption key is configured).
/// </summary>
public static class AuthenticatorRules
{
    public static readonly DomainError Unavailable = new(ErrorKind.Unavailable, "authenticator_unavailable",
        "Authenticator apps are not configured on this deployment (no TOTP encryption key).");

    public static readonly DomainError NotAllowed = new(ErrorKind.Conflict, "factor_not_allowed",
        "Your company's sign-in policy does not allow this factor.");

    public static readonly DomainError NoAuthenticator = new(ErrorKind.Conflict, "authenticator_not_enrolled",
        "The user has no authenticator app.");

    public static readonly DomainError AlreadyEnrolled = new(ErrorKind.Conflict, "authenticator_already_enrolled",
        "Remove the current authenticator app before enrolling another.");

    public static readonly DomainError RequiredForAdmins = new(ErrorKind.Conflict, "authenticator_required_for_admins",
        "Your company requires administrators to sign in with an authenticator app; it cannot be removed.");

    /// <summary>Why no authenticator can be enrolled or confirmed on this deployment and tenant, or null.</summary>
    public static DomainError? EnrolmentRefusal(Tenant tenant, bool appAvailable) =>
        !appAvailable ? Unavailable : !tenant.FactorPolicy.Allows(Factor.Authenticator) ? NotAllowed : null;

    /// <summary>
    /// Why the user's authenticator cannot be removed, or null. A pending (unconfirmed) enrolment may always be dropped;
    /// an admin whose tenant requires the app of admins cannot drop an active one.
    /// </summary>
    public static DomainError? RemovalRefusal(Tenant tenant, DirectoryUser user, UserFactors held)
    {
        if (!held.HasAuthenticator && held.PendingTotpSecret is null)
        {
            return NoAuthenticator;
        }

        return tenant.FactorPolicy.RequiresAuthenticatorOf(user) && held.HasAuthenticator
            ? RequiredForAdmins
            : null;
    }

    /// <summary>Why no new recovery codes can be made, or null: they are the authenticator's fallback, where the policy allows them.</summary>
    public static DomainError? RegenerationRefusal(Tenant tenant, UserFactors held) =>
        !tenant.FactorPolicy.Allows(Factor.RecoveryCode) ? NotAllowed : !held.HasAuthenticator ? NoAuthenticator : null;

    /// <summary>The factor row without the app, its pending enrolment and its recovery codes.</summary>
    public static Result<UserFactors> WithoutApp(UserFactors held) => held with
    {
        TotpSecret = null,
        TotpConfirmedAt = null,
        TotpLastStep = 0,
        PendingTotpSecret = null,
        PendingTotpExpiresAt = null,
        RecoveryCodeHashes = [],
        RecoveryCodesUsed = [],
        RecoverySetId = null,
        RecoveryGeneratedAt = null,
    };

    public static FactorStatus Status(Tenant tenant, UserFactors held, bool appAvailable, DateTimeOffset now) => new(
        held.HasAuthenticator,
        held.TotpConfirmedAt,
        !held.HasAuthenticator && held.PendingTotpExpiresAt is { } expires && expires > now,
        held.RecoveryCodesLeft,
        held.RecoveryGeneratedAt,
        appAvailable,
        tenant.FactorPolicy);
}
