using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Challenges;

/// <summary>
/// A challenge row outside issuing and verifying: read for its owner, checked against a browser's token, and spent
/// once on the sensitive action it was verified for.
/// </summary>
public sealed class ChallengeService(IChallengeStore challenges, ChallengeViews views, TwoFactorOptions options, TimeProvider time)
{
    public async Task<Result<ChallengeView>> GetAsync(string tenantId, string challengeId, CancellationToken cancellationToken) =>
        await challenges.GetAsync(tenantId, challengeId, cancellationToken) is { } challenge ? views.Of(challenge) : Errors.ChallengeNotFound;

    /// <summary>
    /// A browser presenting a sign-in challenge's token: accepted only for that challenge, while it is still open. The
    /// answers are the same for an unknown challenge and a wrong token, so the token cannot be used to probe ids.
    /// </summary>
    public async Task<DomainError?> AuthorizeBrowserTokenAsync(string tenantId, string challengeId, string? token, CancellationToken cancellationToken)
    {
        var invalid = new DomainError(ErrorKind.Unauthorized, "invalid_challenge_token", "The challenge token is not valid for this challenge.");

        // Checked here although routes are checked too: this runs in the authentication middleware, before the endpoint's filters.
        if (!Ids.IsValid(tenantId) || !ChallengeIds.IsValid(challengeId))
        {
            return invalid;
        }

        var challenge = await challenges.GetAsync(tenantId, challengeId, cancellationToken);
        if (challenge is null || !BrowserTokens.Matches(challenge, token))
        {
            return invalid;
        }

        return challenge.Status != ChallengeStatus.Pending || time.GetUtcNow() - challenge.CreatedAt > options.ChallengeMaxAge
            ? new DomainError(ErrorKind.Unauthorized, "challenge_token_expired", "This sign-in has ended; start a new one.")
            : null;
    }

    /// <summary>A signed-in user (access token) acting on a challenge: only on one of their own.</summary>
    public async Task<DomainError?> AuthorizeOwnerAsync(string tenantId, string challengeId, string userId, CancellationToken cancellationToken)
    {
        // Runs before the endpoint's id check (authentication middleware): a malformed id is left for that check to refuse.
        if (!Ids.IsValid(tenantId) || !ChallengeIds.IsValid(challengeId))
        {
            return null;
        }

        var challenge = await challenges.GetAsync(tenantId, challengeId, cancellationToken);
        return challenge is not null && challenge.UserId != userId
            ? new DomainError(ErrorKind.Forbidden, "challenge_forbidden", "This challenge belongs to another user.")
            : null;
    }

    /// <summary>
    /// Spends a verified challenge on the sensitive action it was issued for: verified recently, by this user, for this
    /// purpose, and never spent before (the write is conditional, so two actions cannot share one proof).
    /// </summary>
    public Task<Result<Challenge>> ConsumeVerifiedAsync(string tenantId, string? challengeId, string userId,
        ChallengePurpose purpose, CancellationToken cancellationToken) =>
        ConsumeVerifiedAsync(tenantId, challengeId, userId, purpose, null, cancellationToken);

    /// <param name="accept">A further rule the proof must meet (see <see cref="Factors.FactorChangeProofs"/>), checked on the row that is spent.</param>
    public async Task<Result<Challenge>> ConsumeVerifiedAsync(string tenantId, string? challengeId, string userId,
        ChallengePurpose purpose, Func<Challenge, DomainError?>? accept, CancellationToken cancellationToken)
    {
        var proofRequired = new DomainError(ErrorKind.Forbidden, "verification_required",
            "This change needs a freshly verified code: create a challenge, verify it, and pass its id as verifiedChallengeId.");

        // The id comes in a request body, where no route check has seen it; it becomes a table key.
        if (!ChallengeIds.IsValid(challengeId))
        {
            return proofRequired;
        }

        return await Optimistic.RetryAsync<Challenge>(async () =>
        {
            var challenge = await challenges.GetAsync(tenantId, challengeId, cancellationToken);
            var now = time.GetUtcNow();
            if (challenge is null || challenge.UserId != userId || challenge.Purpose != purpose
                || challenge.Status != ChallengeStatus.Verified || challenge.ConsumedAt is not null
                || challenge.VerifiedAt is not { } verifiedAt || now - verifiedAt > options.StepUpValidity)
            {
                return proofRequired;
            }

            if (accept?.Invoke(challenge) is { } refused)
            {
                return refused;
            }

            var consumed = challenge with { ConsumedAt = now };
            return await challenges.TryReplaceAsync(consumed, cancellationToken) ? consumed : Optimistic.LostRace;
        }, cancellationToken);
    }
}

/// <summary>Errors shared by several services.</summary>
public static class Errors
{
    public static readonly DomainError TenantNotFound = new(ErrorKind.NotFound, "tenant_not_found", "No such tenant.");
    public static readonly DomainError UserNotFound = new(ErrorKind.NotFound, "user_not_found", "No such user in this tenant.");
    public static readonly DomainError ChallengeNotFound = new(ErrorKind.NotFound, "challenge_not_found", "No such challenge in this tenant.");
}
