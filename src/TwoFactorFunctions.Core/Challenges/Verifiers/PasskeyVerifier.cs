using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.Core.Factors.Passkeys;
using TwoFactorFunctions.Core.Security;

namespace TwoFactorFunctions.Core.Challenges.Verifiers;

/// <summary>
/// A passkey's assertion over the challenge's ceremony (<see cref="Challenge.PasskeyOptions"/>): the signature is checked
/// against a passkey of this user of this tenant only — the factor row read is this user's — and spending it writes the
/// signature counter in the factor row conditionally, so of parallel requests with one assertion only one wins.
/// </summary>
public sealed class PasskeyVerifier(IWebAuthn webAuthn, IAuditLog audit) : IFactorVerifier
{
    /// <summary>A WebAuthn assertion is a few hundred bytes; anything far larger is not one and is not parsed.</summary>
    private const int MaxAnswerLength = 16 * 1024;

    public Factor Factor => Factor.Passkey;

    public string Noun => "passkey";

    public bool ReadsFactorRow => true;

    public string WrongAnswerCode => "passkey_not_accepted";

    public Result<string> Parse(string answer) =>
        answer.Length is > 0 and <= MaxAnswerLength && webAuthn.AssertedCredentialId(answer).IsSuccess
            ? answer
            : new DomainError(ErrorKind.Invalid, "invalid_passkey_credential",
                "credential must be the passkey's answer as PublicKeyCredential.toJSON() gives it (id, rawId, type, response).");

    public DomainError? Precondition(Challenge challenge) =>
        !webAuthn.Available ? PasskeyRules.Unavailable
        : challenge.PasskeyOptions is null ? new DomainError(ErrorKind.Conflict, "passkey_options_not_requested",
            "Ask for this challenge's passkey options first (POST …/passkey-options), then answer them.")
        : null;

    /// <remarks>
    /// A credential this user does not have (another user's, another tenant's, a removed one) and an assertion that does
    /// not verify are wrong answers, counted like a wrong code. A counter below the highest seen is refused and audited
    /// as a possible clone, and the same counter again as a replay; neither is a guess, so neither is counted.
    /// </remarks>
    public async ValueTask<Result<FactorMatch>> CheckAsync(Challenge challenge, UserFactors? held, string answer, DateTimeOffset now, bool alreadySpent,
        CancellationToken cancellationToken)
    {
        var credentialId = webAuthn.AssertedCredentialId(answer);
        if (held is null || !credentialId.IsSuccess || held.PasskeyUserHandle is not { } userHandle
            || PasskeyRules.FindByCredentialId(held, credentialId.Value) is not { } passkey)
        {
            return FactorMatch.NoMatch with { Reason = "not a passkey of this user" };
        }

        var assertion = await webAuthn.VerifyAssertionAsync(challenge.PasskeyOptions!, answer, passkey, userHandle, cancellationToken);
        if (!assertion.Verified)
        {
            return FactorMatch.NoMatch with { Reason = $"passkey {passkey.PasskeyId}: {assertion.FailureReason}" };
        }

        switch (PasskeyRules.Counter(passkey.SignCount, assertion.SignCount))
        {
            case CounterVerdict.Accepted:
                var used = PasskeyRules.Used(passkey, assertion, now);
                return new FactorMatch(true, held with { Passkeys = [.. held.Passkeys.Select(p => p.PasskeyId == passkey.PasskeyId ? used : p)] });
            case CounterVerdict.Replayed:
                // This request wrote that counter itself in an earlier pass that then lost the race on the challenge row.
                return alreadySpent ? new FactorMatch(true, null) : PasskeyRules.Replayed;
            default:
                await audit.RecordAsync(new AuditEvent(challenge.TenantId, AuditEventType.PasskeyCloneSuspected, now, challenge.UserId, challenge.UserId,
                    $"Passkey {passkey.PasskeyId} signed with counter {assertion.SignCount}, below the {passkey.SignCount} seen: possibly cloned; refused."),
                    cancellationToken);
                return PasskeyRules.CounterRegressed;
        }
    }
}
