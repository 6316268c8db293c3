namespace TwoFactorFunctions.Api.Http;

/// <summary>
/// Marks an endpoint that changes how a user proves who they are: the OpenAPI document says which proof it takes and
/// which problems answer a missing or weak one, so a client generated from it knows the contract (docs/security.md).
/// </summary>
public static class FactorChangeProof
{
    public const string Description =
        "A factor change: pass `verifiedChallengeId`, a challenge verified in the last 5 minutes with a factor the prover already holds " +
        "(a passkey or the authenticator app once one is held, otherwise a code to the current contact; an admin held to a phishing-resistant factor proves admin changes with a passkey only), spent once. " +
        "403 `verification_required` (no fresh, unspent proof), 403 `stronger_proof_required` (answered with a factor this change does not accept; " +
        "`acceptedFactors` lists those that do), 409 `no_usable_factor` (nothing to prove it with: an admin reset is the way back), " +
        "409 `authenticator_enrolment_required` (the policy accepts only the app: enrol one first). See docs/security.md.";

    public static TBuilder RequiresFactorChangeProof<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithDescription(Description)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
}
