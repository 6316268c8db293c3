using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Core.Factors;

/// <summary>A change to how a user proves who they are, or to the rules that decide it.</summary>
public enum SensitiveOperation
{
    /// <summary>A new email or phone replaces the one codes go to.</summary>
    ChangeContact,

    AddAuthenticator,

    RemoveAuthenticator,

    AddPasskey,

    RemovePasskey,

    RegenerateRecoveryCodes,

    /// <summary>A user of an opt-in company turns 2FA on: the code proves the company's channel (seed B).</summary>
    OptIn,

    OptOut,

    /// <summary>An admin strips another user's factors; the prover is the acting admin.</summary>
    ResetUser,

    /// <summary>An admin makes the company's sign-in easier to pass; the prover is the acting admin.</summary>
    WeakenPolicy,
}

/// <summary>
/// The one rule for every change to how a user proves who they are (NIST SP 800-63B §6.1.2: binding or removing an
/// authenticator requires authenticating with one already bound; OWASP: changing the MFA contact is sensitive).
/// </summary>
/// <remarks>
/// <para>A change needs a fresh, single-use proof made with a factor the prover <b>already holds</b> and the tenant
/// allows, the strongest first: a passkey or the authenticator app when one is held (a code to the contact would let
/// whoever reads that mailbox replace them), otherwise a code to the <b>current</b> contact on the company's channel. A code
/// to a destination that is not bound yet never counts: a new contact is verified in addition, after this proof.</para>
/// <para>Recovery codes stand in for the app in the user's own changes (a user who lost the phone replaces the app with
/// them) but never in an admin's step-up. Under a policy without <see cref="Factor.Code"/>, a user with no app may use a
/// code for one thing only: enrolling an app or adding a passkey. An admin held to a phishing-resistant factor proves
/// admin changes with a passkey only. A user with no usable factor at all is recovered by an admin reset.</para>
/// </remarks>
public static class FactorChangeRule
{
    public static readonly DomainError NoUsableFactor = new(ErrorKind.Conflict, "no_usable_factor",
        "There is no factor to prove this change with: no authenticator app and no contact on the company's channel. An administrator can reset the user's two-factor sign-in.");

    public static readonly DomainError AuthenticatorEnrolmentRequired = new(ErrorKind.Conflict, "authenticator_enrolment_required",
        "Your company's policy accepts only an authenticator app: enrol one first; a code may be used only for that.");

    /// <summary>The operations a user makes on their own account; one SelfService proof challenge offers what any of them accepts.</summary>
    public static readonly IReadOnlyList<SensitiveOperation> SelfOperations =
    [
        SensitiveOperation.ChangeContact, SensitiveOperation.AddAuthenticator, SensitiveOperation.RemoveAuthenticator,
        SensitiveOperation.AddPasskey, SensitiveOperation.RemovePasskey, SensitiveOperation.RegenerateRecoveryCodes, SensitiveOperation.OptIn, SensitiveOperation.OptOut,
    ];

    /// <summary>The operations an admin's step-up proves.</summary>
    public static readonly IReadOnlyList<SensitiveOperation> AdminOperations = [SensitiveOperation.ResetUser, SensitiveOperation.WeakenPolicy];

    /// <summary>
    /// The factors that prove <paramref name="operation"/> for <paramref name="prover"/> (the user, or the acting admin
    /// for <see cref="SensitiveOperation.ResetUser"/> and <see cref="SensitiveOperation.WeakenPolicy"/>), strongest first;
    /// or why no proof is possible.
    /// </summary>
    /// <param name="support">Which held factors the deployment can check at all.</param>
    public static Result<IReadOnlyList<Factor>> ProofFactors(SensitiveOperation operation, Tenant tenant, DirectoryUser prover, UserFactors held,
        FactorSupport support)
    {
        var policy = tenant.FactorPolicy;
        var hasApp = support.Counts(Factor.Authenticator, held, policy);
        var hasPasskey = support.Counts(Factor.Passkey, held, policy);
        var hasContact = !string.IsNullOrEmpty(tenant.Channel == Channel.Email ? prover.Email : prover.Phone);
        var own = !AdminOperations.Contains(operation);

        // Turning 2FA on proves the company's channel itself (seed B): only a code over it says the user receives it.
        if (operation == SensitiveOperation.OptIn)
        {
            return hasContact ? Accept(Factor.Code) : NoUsableFactor;
        }

        // An admin held to a phishing-resistant factor proves an admin's change with a passkey or not at all: a code, an
        // app's code or a recovery code can be relayed by a look-alike page, and this is where an attacker would aim.
        if (!own && policy.RequiresPasskeyOf(prover))
        {
            return hasPasskey ? Accept(Factor.Passkey) : StrongerProofRequired([Factor.Passkey]);
        }

        // A strong factor held is the proof: a code to the contact would let whoever reads that mailbox replace it.
        if (hasApp || hasPasskey)
        {
            var accepted = new List<Factor>();
            if (hasPasskey)
            {
                accepted.Add(Factor.Passkey);
            }

            if (hasApp)
            {
                accepted.Add(Factor.Authenticator);
                if (own && policy.Allows(Factor.RecoveryCode) && held.RecoveryCodesLeft > 0)
                {
                    accepted.Add(Factor.RecoveryCode);
                }
            }

            return accepted;
        }

        if (!hasContact)
        {
            return NoUsableFactor;
        }

        // Without a strong factor, the code to the current contact is the factor held; a policy that excludes codes
        // lets it enrol an app or add a passkey (or there would be no way in at all) and prove nothing else.
        return policy.Allows(Factor.Code) || operation is SensitiveOperation.AddAuthenticator or SensitiveOperation.AddPasskey
            ? Accept(Factor.Code)
            : AuthenticatorEnrolmentRequired;
    }

    /// <summary>
    /// What one proof challenge offers for a set of operations: every factor any of them accepts, strongest first. The
    /// operation the proof is finally spent on checks its own list again, so a factor offered for one operation never
    /// proves another.
    /// </summary>
    public static Result<IReadOnlyList<Factor>> OfferedFactors(IEnumerable<SensitiveOperation> operations, Tenant tenant, DirectoryUser prover,
        UserFactors held, FactorSupport support)
    {
        DomainError? refusal = null;
        var offered = new HashSet<Factor>();
        foreach (var operation in operations)
        {
            var factors = ProofFactors(operation, tenant, prover, held, support);
            if (factors.IsSuccess)
            {
                offered.UnionWith(factors.Value);
            }
            else
            {
                refusal ??= factors.Error;
            }
        }

        return offered.Count > 0 ? Accept([.. offered.OrderBy(Strength)]) : refusal ?? NoUsableFactor;
    }

    /// <summary>
    /// The acting admin's proof for resetting <paramref name="target"/>. Resetting an admin whom the policy holds to an
    /// authenticator takes the acting admin's own authenticator (or passkey), and one held to a phishing-resistant factor
    /// the acting admin's passkey: a weaker proof would undo the requirement for the very accounts it protects.
    /// </summary>
    public static Result<IReadOnlyList<Factor>> ResetProofFactors(Tenant tenant, DirectoryUser admin, UserFactors adminHeld, DirectoryUser target,
        UserFactors targetHeld, FactorSupport support)
    {
        var accepted = ProofFactors(SensitiveOperation.ResetUser, tenant, admin, adminHeld, support);
        var heldToPasskey = tenant.FactorPolicy.RequiresPasskeyOf(target) && targetHeld.HasPasskey;
        if (heldToPasskey && accepted.IsSuccess && !accepted.Value.Contains(Factor.Passkey))
        {
            return StrongerProofRequired([Factor.Passkey]);
        }

        var heldToApp = tenant.FactorPolicy.RequiresAuthenticatorOf(target) && targetHeld.HasAuthenticator;
        return heldToApp && accepted.IsSuccess && !accepted.Value.Contains(Factor.Authenticator) && !accepted.Value.Contains(Factor.Passkey)
            ? StrongerProofRequired([Factor.Authenticator])
            : accepted;
    }

    public static DomainError StrongerProofRequired(IReadOnlyList<Factor> accepted) =>
        new DomainError(ErrorKind.Forbidden, "stronger_proof_required",
                $"This change must be proven with {string.Join(" or ", accepted)}: verify a new challenge with one of them and pass its id as verifiedChallengeId.")
            .With("acceptedFactors", accepted.Select(f => f.ToString()).ToArray());

    private static Result<IReadOnlyList<Factor>> Accept(params Factor[] factors) => factors;

    private static int Strength(Factor factor) => factor switch
    {
        Factor.Passkey => 0,
        Factor.Authenticator => 1,
        Factor.RecoveryCode => 2,
        _ => 3,
    };
}
