using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Factors;

/// <summary>
/// Issues and spends the proofs <see cref="FactorChangeRule"/> asks for: every service that changes a factor, a contact,
/// an opt-in or the tenant's policy goes through here, so the rule is applied in one place.
/// </summary>
public sealed class FactorChangeProofs(ChallengeIssuer issuer, ChallengeService challenges, IUserFactorStore factors, FactorSupport support)
{
    /// <summary>The prover's factor row, read only when the user row says there may be one.</summary>
    public Task<UserFactors> HeldAsync(DirectoryUser user, CancellationToken cancellationToken) => factors.OfAsync(user, cancellationToken);

    /// <summary>
    /// A proof challenge for the prover: answerable with every factor that proves one of <paramref name="operations"/>,
    /// the strongest preferred (a code is sent at once only when no app is held).
    /// </summary>
    public async Task<Result<ChallengeView>> IssueAsync(Tenant tenant, DirectoryUser prover, IEnumerable<SensitiveOperation> operations,
        ChallengePurpose purpose, CancellationToken cancellationToken)
    {
        var held = await HeldAsync(prover, cancellationToken);
        var offered = FactorChangeRule.OfferedFactors(operations, tenant, prover, held, support);
        return offered.IsSuccess
            ? await issuer.IssueAsync(tenant, prover, offered.Value, purpose, sendCode: true, [], null, cancellationToken)
            : offered.Error;
    }

    /// <summary>
    /// Spends a verified proof challenge on <paramref name="operation"/>: fresh, single use (a conditional write), by this
    /// prover, and answered with a factor the rule accepts for this operation now — a code only if it went to the
    /// prover's current contact on the company's channel.
    /// </summary>
    public Task<Result<Challenge>> SpendAsync(SensitiveOperation operation, Tenant tenant, DirectoryUser prover, UserFactors held,
        string? verifiedChallengeId, CancellationToken cancellationToken) =>
        SpendAsync(operation, FactorChangeRule.ProofFactors(operation, tenant, prover, held, support), tenant, prover, verifiedChallengeId,
            cancellationToken);

    /// <summary>An admin's reset of <paramref name="target"/>, proven by the admin (see <see cref="FactorChangeRule.ResetProofFactors"/>).</summary>
    public async Task<Result<Challenge>> SpendResetAsync(Tenant tenant, DirectoryUser admin, DirectoryUser target, UserFactors targetHeld,
        string? verifiedChallengeId, CancellationToken cancellationToken)
    {
        var adminHeld = await HeldAsync(admin, cancellationToken);
        var accepted = FactorChangeRule.ResetProofFactors(tenant, admin, adminHeld, target, targetHeld, support);
        return await SpendAsync(SensitiveOperation.ResetUser, accepted, tenant, admin, verifiedChallengeId, cancellationToken);
    }

    private async Task<Result<Challenge>> SpendAsync(SensitiveOperation operation, Result<IReadOnlyList<Factor>> accepted, Tenant tenant,
        DirectoryUser prover, string? verifiedChallengeId, CancellationToken cancellationToken)
    {
        if (!accepted.IsSuccess)
        {
            return accepted.Error;
        }

        var purpose = FactorChangeRule.AdminOperations.Contains(operation) ? ChallengePurpose.AdminStepUp : ChallengePurpose.SelfService;
        var factorsAccepted = accepted.Value;
        return await challenges.ConsumeVerifiedAsync(tenant.TenantId, verifiedChallengeId, prover.UserId, purpose,
            proof => Accepts(proof, factorsAccepted, tenant, prover) ? null : FactorChangeRule.StrongerProofRequired(factorsAccepted), cancellationToken);
    }

    private static bool Accepts(Challenge proof, IReadOnlyList<Factor> accepted, Tenant tenant, DirectoryUser prover) =>
        proof.VerifiedFactor is { } factor && accepted.Contains(factor)
        && (factor != Factor.Code
            || (proof.Channel == tenant.Channel
                && string.Equals(proof.Destination, SignInRules.DestinationFor(tenant.Channel, prover), StringComparison.Ordinal)));
}
