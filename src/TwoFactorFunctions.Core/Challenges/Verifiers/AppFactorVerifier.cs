using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Factors;

namespace TwoFactorFunctions.Core.Challenges.Verifiers;

/// <summary>
/// What the authenticator and recovery-code verifiers share: both answers live in the user's factor row, which holds an
/// authenticator only while its sealed secret can be opened, and whose row is the replay gate (the spend is written
/// conditionally, so of parallel requests with one answer only one wins).
/// </summary>
public abstract class AppFactorVerifier(TotpSecretProtector protector) : IFactorVerifier
{
    public abstract Factor Factor { get; }

    public abstract string Noun { get; }

    public bool ReadsFactorRow => true;

    public abstract Result<string> Parse(string answer);

    public DomainError? Precondition(Challenge challenge) => null;

    public ValueTask<Result<FactorMatch>> CheckAsync(Challenge challenge, UserFactors? held, string answer, DateTimeOffset now, bool alreadySpent,
        CancellationToken cancellationToken) =>
        ValueTask.FromResult(Check(challenge, held, answer, now, alreadySpent));

    private Result<FactorMatch> Check(Challenge challenge, UserFactors? held, string answer, DateTimeOffset now, bool alreadySpent)
    {
        if (!protector.Available)
        {
            return AuthenticatorRules.Unavailable;
        }

        if (held is not { HasAuthenticator: true } || protector.Open(challenge.TenantId, challenge.UserId, held.TotpSecret!) is not { } secret)
        {
            return AuthenticatorRules.NoAuthenticator;
        }

        // Re-sealed under the current key whenever the row is written anyway (key rotation without a migration).
        var resealed = protector.IsStale(held.TotpSecret!) ? held with { TotpSecret = protector.Seal(challenge.TenantId, challenge.UserId, secret) } : held;
        return Match(held, resealed, secret, answer, now, alreadySpent);
    }

    /// <param name="held">The row as read, to decide on.</param>
    /// <param name="resealed">The row to base a spend on.</param>
    protected abstract Result<FactorMatch> Match(UserFactors held, UserFactors resealed, byte[] secret, string answer, DateTimeOffset now, bool alreadySpent);

    public virtual Task OnVerifiedAsync(Challenge verified, UserFactors? spent, CancellationToken cancellationToken) => Task.CompletedTask;
}
