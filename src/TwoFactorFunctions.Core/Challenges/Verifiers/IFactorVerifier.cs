using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Factors;

namespace TwoFactorFunctions.Core.Challenges.Verifiers;

/// <summary>
/// Checks one kind of answer to a challenge. <see cref="ChallengeVerifier"/> owns the loop, the limits and the writes;
/// a verifier only says whether the answer matches and what must be written to spend it. A new factor is one new
/// implementation and one registration.
/// </summary>
public interface IFactorVerifier
{
    Factor Factor { get; }

    /// <summary>How a wrong answer is named in the audit log ("authenticator code").</summary>
    string Noun { get; }

    /// <summary>Whether checking needs the user's factor row (read beside the account guard, in the same round trip).</summary>
    bool ReadsFactorRow { get; }

    /// <summary>
    /// The answer in canonical form, or why it is malformed. A malformed answer is not a guess at all (it cannot match),
    /// so it is refused before any read and costs no attempt.
    /// </summary>
    Result<string> Parse(string answer);

    /// <summary>Why this challenge cannot take this kind of answer yet, checked before the answer is (null: it can).</summary>
    DomainError? Precondition(Challenge challenge);

    /// <summary>
    /// Whether <paramref name="answer"/> (as parsed) answers <paramref name="challenge"/>. A match carries the factor row as it
    /// must be written to spend the answer, or null when nothing is spent (or this request spent it already, in an
    /// earlier pass that lost the race on the challenge row: <paramref name="alreadySpent"/>).
    /// </summary>
    ValueTask<Result<FactorMatch>> CheckAsync(Challenge challenge, UserFactors? held, string answer, DateTimeOffset now, bool alreadySpent,
        CancellationToken cancellationToken);

    /// <summary>The error code of a wrong answer (counted toward the limits).</summary>
    string WrongAnswerCode => "invalid_code";

    /// <summary>After the challenge is verified with this factor: what its use must trigger (an audit entry, a notice).</summary>
    Task OnVerifiedAsync(Challenge verified, UserFactors? spent, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The verdict on one answer: matched or not, and the factor row to write when matching spends something.</summary>
public readonly record struct FactorMatch(bool Matched, UserFactors? Spend)
{
    public static FactorMatch NoMatch => new(false, null);

    /// <summary>Why an answer did not match, when the verifier can say more than "wrong" (for the audit log; never a secret).</summary>
    public string? Reason { get; init; }
}
