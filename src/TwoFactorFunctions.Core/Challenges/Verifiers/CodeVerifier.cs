using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Factors;

namespace TwoFactorFunctions.Core.Challenges.Verifiers;

/// <summary>The one-time code sent over the tenant's channel: matched against the keyed hash on the challenge row.</summary>
public sealed class CodeVerifier(CodeHasher hasher) : IFactorVerifier
{
    public Factor Factor => Factor.Code;

    public string Noun => "code";

    public bool ReadsFactorRow => false;

    public Result<string> Parse(string answer) => CodeHasher.IsWellFormed(answer)
        ? answer
        : new DomainError(ErrorKind.Invalid, "invalid_code_format", "The code must be exactly 6 digits.");

    public DomainError? Precondition(Challenge challenge) => challenge.CodeHash is null
        ? new DomainError(ErrorKind.Conflict, "code_not_sent", "No code has been sent for this challenge yet.")
        : null;

    // Nothing to spend here: the challenge row's own conditional write to Verified is what makes the code single use.
    public ValueTask<Result<FactorMatch>> CheckAsync(Challenge challenge, UserFactors? held, string answer, DateTimeOffset now, bool alreadySpent,
        CancellationToken cancellationToken) =>
        ValueTask.FromResult<Result<FactorMatch>>(new FactorMatch(hasher.Matches(challenge, answer), null));
}
