using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.Core.Factors.Passkeys;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Challenges;

/// <summary>
/// Opens a passkey ceremony on a challenge: request options with a new random challenge, kept on the challenge row (the
/// assertion must sign exactly these) and sent to the browser. Each call replaces the ceremony before, so only the last
/// options can be answered; verifying the challenge clears them, so an assertion counts once.
/// </summary>
public sealed class PasskeyCeremonies(IChallengeStore challenges, IUserFactorStore factors, IWebAuthn webAuthn, TimeProvider time)
{
    public static readonly DomainError NoPasskey = new(ErrorKind.Conflict, "passkey_not_registered", "The user has no passkey.");

    /// <param name="discoverable">
    /// Leave the allow-list out: the browser offers the passkeys it holds for this site (the discoverable flow), and the
    /// verify still accepts only one of this user's.
    /// </param>
    public async Task<Result<string>> OpenAsync(string tenantId, string challengeId, bool discoverable, CancellationToken cancellationToken)
    {
        if (!webAuthn.Available)
        {
            return PasskeyRules.Unavailable;
        }

        return await Optimistic.RetryAsync<string>(async () =>
        {
            if (await challenges.GetAsync(tenantId, challengeId, cancellationToken) is not { } challenge)
            {
                return Errors.ChallengeNotFound;
            }

            if (Refusal(challenge, time.GetUtcNow()) is { } refused)
            {
                return refused;
            }

            var held = await factors.GetAsync(tenantId, challenge.UserId, cancellationToken);
            if (!held.HasPasskey)
            {
                return NoPasskey;
            }

            var options = webAuthn.AssertionOptions(discoverable ? [] : held.Passkeys);
            return await challenges.TryReplaceAsync(challenge with { PasskeyOptions = options }, cancellationToken) ? options : Optimistic.LostRace;
        }, cancellationToken);
    }

    private static DomainError? Refusal(Challenge challenge, DateTimeOffset now) =>
        ChallengeViews.FinalStateError(challenge) is { } final ? final
        : !challenge.Factors.Contains(Factor.Passkey) ? SignInRules.FactorNotOnChallenge(Factor.Passkey)
        : challenge.ExpiresAt <= now ? new DomainError(ErrorKind.Gone, "challenge_expired", "The challenge has expired; start a new one.")
        : null;
}
