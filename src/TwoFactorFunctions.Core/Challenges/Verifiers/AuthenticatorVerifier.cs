using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Factors;

namespace TwoFactorFunctions.Core.Challenges.Verifiers;

/// <summary>A TOTP code from the user's authenticator app (RFC 6238), each time step usable once.</summary>
public sealed class AuthenticatorVerifier(TotpSecretProtector protector) : AppFactorVerifier(protector)
{
    public override Factor Factor => Factor.Authenticator;

    public override string Noun => "authenticator code";

    public override Result<string> Parse(string answer) => CodeHasher.IsWellFormed(answer)
        ? answer
        : new DomainError(ErrorKind.Invalid, "invalid_code_format", "The code must be exactly 6 digits.");

    /// <remarks>
    /// A correct code of a time step already used is refused outright: it is a replay (someone watched the screen), not
    /// a guess, so it is not counted as one either.
    /// </remarks>
    protected override Result<FactorMatch> Match(UserFactors held, UserFactors resealed, byte[] secret, string answer, DateTimeOffset now, bool alreadySpent)
    {
        if (TotpCodes.MatchStep(secret, answer, now) is not { } step)
        {
            return FactorMatch.NoMatch;
        }

        if (step <= held.TotpLastStep)
        {
            return alreadySpent
                ? new FactorMatch(true, null)
                : new DomainError(ErrorKind.Conflict, "code_already_used", "This authenticator code has been used already; wait for the next one.");
        }

        return new FactorMatch(true, resealed with { TotpLastStep = step });
    }
}
