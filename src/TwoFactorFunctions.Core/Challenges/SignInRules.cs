using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.Core.Messaging;

namespace TwoFactorFunctions.Core.Challenges;

/// <summary>How a challenge may be answered and where its code goes: decided from the rows in hand.</summary>
/// <param name="Factors">The factors offered, usable ones only.</param>
/// <param name="Preferred">The one the user is expected to use (the tenant's preference when it is offered).</param>
/// <param name="Destination">The contact on the tenant's channel, or "" for a user answering with an app only.</param>
public sealed record ChallengeOffer(IReadOnlyList<Factor> Factors, Factor Preferred, string Destination)
{
    /// <summary>A code goes out at once only when it is what the user is expected to use; otherwise on request (…/send).</summary>
    public bool SendsCodeAtOnce(bool requested) => requested && Preferred == Factor.Code;
}

/// <summary>
/// The sign-in decision as pure rules over the tenant, the user and the factors they hold: no storage, no clock. Each
/// method answers one question in the order a sign-in asks them; the services only read rows and write the outcome.
/// </summary>
/// <remarks><c>support</c> says which held factors the deployment can check at all (<see cref="FactorSupport"/>).</remarks>
public static class SignInRules
{
    public static readonly DomainError UserInactive = new(ErrorKind.Forbidden, "user_inactive", "The user is inactive and cannot sign in.");

    /// <summary>Why this sign-in needs no second factor by the tenant's and user's settings alone, or null.</summary>
    /// <remarks>RequiredForAll covers every active user, including ones added after (or during) the enrolment run.</remarks>
    public static NotRequiredReason? Exemption(Tenant tenant, DirectoryUser user) =>
        !tenant.TwoFactorEnabled ? NotRequiredReason.TenantTwoFactorDisabled
        : tenant.Mode == TwoFactorMode.UserOptIn && !user.TwoFactorEnabled ? NotRequiredReason.UserNotEnrolled
        : null;

    /// <summary>
    /// The tenant lets a new user's very first sign-in through unchallenged (seed A): the caller still has to win the
    /// conditional write that records it, so that of two parallel first sign-ins only one is exempt.
    /// </summary>
    public static bool MayBeFirstSignIn(Tenant tenant, DirectoryUser user) => tenant.SkipFirstSignIn && user.FirstSignInAt is null;

    /// <summary>
    /// The factors a sign-in may be answered with: the tenant's allowed ones the user has. The code over the tenant's
    /// channel remains for a user with no stronger factor (or it would be no way in at all, not even to enrol one). An
    /// admin who has a passkey must use it, and nothing else, when the tenant requires a phishing-resistant factor of
    /// admins; otherwise an admin who has an authenticator must use it when the tenant requires that.
    /// </summary>
    public static IReadOnlyList<Factor> UsableFactors(Tenant tenant, DirectoryUser user, UserFactors held, FactorSupport support)
    {
        if (AnswersOnlyWithPasskey(tenant, user, held, support))
        {
            return [Factor.Passkey];
        }

        var policy = tenant.FactorPolicy;
        var passkey = support.Counts(Factor.Passkey, held, policy);
        var usable = new List<Factor>();
        var authenticator = support.Counts(Factor.Authenticator, held, policy);
        if (authenticator)
        {
            usable.Add(Factor.Authenticator);
            if (policy.Allows(Factor.RecoveryCode) && held.RecoveryCodesLeft > 0)
            {
                usable.Add(Factor.RecoveryCode);
            }
        }

        if (passkey)
        {
            usable.Add(Factor.Passkey);
        }

        var adminMustUseApp = authenticator && policy.RequiresAuthenticatorOf(user);
        if ((policy.Allows(Factor.Code) && !adminMustUseApp) || (!authenticator && !passkey))
        {
            usable.Insert(0, Factor.Code);
        }

        return usable;
    }

    /// <summary>The tenant's policy wants this user on an authenticator app and they have none yet.</summary>
    public static bool NeedsAuthenticator(Tenant tenant, DirectoryUser user, UserFactors held, FactorSupport support) =>
        !support.Counts(Factor.Authenticator, held, tenant.FactorPolicy) && !AnswersOnlyWithPasskey(tenant, user, held, support)
        && tenant.FactorPolicy.Allows(Factor.Authenticator)
        && (!tenant.FactorPolicy.Allows(Factor.Code) || tenant.FactorPolicy.RequiresAuthenticatorOf(user));

    /// <summary>The tenant requires a phishing-resistant factor of admins and this admin has no passkey yet: send them to add one.</summary>
    public static bool NeedsPasskey(Tenant tenant, DirectoryUser user, UserFactors held, FactorSupport support) =>
        support.Passkey && tenant.FactorPolicy.RequiresPasskeyOf(user) && !held.HasPasskey;

    /// <summary>An admin held to, and holding, a passkey: it is their one factor, and they need no app on top of it.</summary>
    private static bool AnswersOnlyWithPasskey(Tenant tenant, DirectoryUser user, UserFactors held, FactorSupport support) =>
        support.Counts(Factor.Passkey, held, tenant.FactorPolicy) && tenant.FactorPolicy.RequiresPasskeyOf(user);

    /// <summary>
    /// What a challenge offering <paramref name="usable"/> looks like for this user: a user with an authenticator can
    /// still be challenged without a contact on the tenant's channel; a user with nothing but the code cannot.
    /// </summary>
    public static Result<ChallengeOffer> Offer(Tenant tenant, DirectoryUser user, IReadOnlyList<Factor> usable)
    {
        var destination = DestinationFor(tenant.Channel, user);
        if (destination is null && usable.Contains(Factor.Code))
        {
            if (usable.Count == 1)
            {
                return new DomainError(ErrorKind.Conflict, "no_contact_for_channel",
                    $"The user has no {CodeMessages.ChannelName(tenant.Channel)} contact to send a code to.");
            }

            usable = usable.Where(f => f != Factor.Code).ToArray();
        }

        var preferred = usable.Contains(tenant.FactorPolicy.Preferred) ? tenant.FactorPolicy.Preferred : usable[0];
        return new ChallengeOffer(usable, preferred, destination ?? "");
    }

    /// <summary>
    /// Whether a sign-in may still be answered with <paramref name="factor"/>, re-checked at verify against the rows as
    /// they are now: a policy tightened or a user deactivated since the challenge was issued decides the answer.
    /// </summary>
    public static DomainError? RefusalAtVerify(Tenant tenant, DirectoryUser user, UserFactors held, Factor factor, FactorSupport support) =>
        !user.Active ? UserInactive
        : UsableFactors(tenant, user, held, support).Contains(factor) ? null
        : FactorNotOnChallenge(factor);

    /// <summary>
    /// A code the policy does not accept was offered only so that a user without an app can enrol one: such a verify
    /// does not complete the sign-in, and no device is remembered on its strength.
    /// </summary>
    public static bool IsEnrolmentOnly(Tenant tenant, Factor answeredWith) =>
        answeredWith == Factor.Code && !tenant.FactorPolicy.Allows(Factor.Code);

    public static string? DestinationFor(Channel channel, DirectoryUser user) =>
        channel == Channel.Email ? user.Email : user.Phone;

    public static DomainError FactorNotOnChallenge(Factor factor) =>
        new DomainError(ErrorKind.Conflict, "factor_not_allowed", $"This challenge cannot be answered with {factor}.")
            .With("factor", factor.ToString());
}
