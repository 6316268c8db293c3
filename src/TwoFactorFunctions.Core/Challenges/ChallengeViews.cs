using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Security;

namespace TwoFactorFunctions.Core.Challenges;

/// <summary>What a caller may see of a challenge row: the destination masked, no hash, the limits as counts left.</summary>
public sealed class ChallengeViews(TwoFactorOptions options)
{
    public ChallengeView Of(Challenge challenge)
    {
        var resendAt = challenge.LastSentAt is { } last ? last + options.ResendCooldown : (DateTimeOffset?)null;
        var masked = challenge.Destination.Length == 0 ? ""
            : challenge.Channel == Channel.Email ? Masking.Email(challenge.Destination) : PhoneNumberRules.Mask(challenge.Destination);
        return new ChallengeView(
            challenge.ChallengeId,
            challenge.Purpose,
            challenge.Status,
            challenge.Channel,
            masked,
            challenge.Sends > 0,
            challenge.ExpiresAt,
            resendAt,
            Math.Max(0, options.MaxResendsPerChallenge + 1 - Math.Max(challenge.Sends, 1)),
            Math.Max(0, options.MaxFailedAttemptsPerChallenge - challenge.FailedAttempts))
        {
            Factors = challenge.Factors,
            PreferredFactor = challenge.PreferredFactor,
        };
    }

    /// <summary>A challenge past the point of answering: verified already, or failed by too many wrong answers.</summary>
    public static DomainError? FinalStateError(Challenge challenge) => challenge.Status switch
    {
        ChallengeStatus.Verified => new DomainError(ErrorKind.Conflict, "challenge_already_used", "This challenge has already been verified."),
        ChallengeStatus.Failed => new DomainError(ErrorKind.Gone, "challenge_failed", "Too many wrong codes for this challenge; start a new sign-in.")
            .With("triesLeft", 0),
        _ => null,
    };
}
