using TwoFactorFunctions.Core.Challenges.Verifiers;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;
using TwoFactorFunctions.Core.Telemetry;

namespace TwoFactorFunctions.Core.Challenges;

/// <summary>
/// Verifies an answer to a challenge with the <see cref="IFactorVerifier"/> registered for its factor, and keeps the
/// limits: attempts per challenge, failures per account (across challenges and factors), lockout.
/// </summary>
/// <remarks>
/// Every state change is a conditional write: the factor row (of parallel requests with one time step or recovery code,
/// one wins), then the challenge and the account guard together, in one transaction conditional on both as read (a code
/// is used once; a lockout set in between wins; a wrong guess is counted on the challenge and the account, or on
/// neither). A pass that loses a race re-reads and decides again from the new state.
/// </remarks>
public sealed class ChallengeVerifier(
    IAccountStore accounts,
    AccountGuardService guards,
    IUserFactorStore factorStore,
    VerifyStateReader states,
    IEnumerable<IFactorVerifier> factorVerifiers,
    SignInCompletion completion,
    TwoFactorOptions options,
    TwoFactorTelemetry telemetry,
    TimeProvider time)
{
    private readonly Dictionary<Factor, IFactorVerifier> _verifiers = factorVerifiers.ToDictionary(v => v.Factor);

    public async Task<Result<VerifyOutcome>> VerifyAsync(VerifyRequest request, CancellationToken cancellationToken)
    {
        var result = await VerifyAnswerAsync(request, cancellationToken);
        telemetry.Verification(result.IsSuccess ? "success" : result.Error.Code);
        return result;
    }

    private async Task<Result<VerifyOutcome>> VerifyAnswerAsync(VerifyRequest request, CancellationToken cancellationToken)
    {
        if (!_verifiers.TryGetValue(request.Factor, out var verifier))
        {
            var names = _verifiers.Keys.Order().Select(f => f.ToString()).ToArray();
            return new DomainError(ErrorKind.Invalid, "invalid_factor",
                $"factor must be {string.Join(", ", names[..^1])} or {names[^1]}.");
        }

        var answer = verifier.Parse(request.Code);
        if (!answer.IsSuccess)
        {
            return answer.Error;
        }

        // Set once this request has spent its time step or recovery code: a pass after a lost race on the challenge
        // row must not see its own spend as a replay.
        var spent = false;
        return await Optimistic.RetryAsync<VerifyOutcome>(async () =>
        {
            var now = time.GetUtcNow();
            if (await states.ReadAsync(request.TenantId, request.ChallengeId, cancellationToken) is not { Challenge: { } challenge } rows)
            {
                return Errors.ChallengeNotFound;
            }

            if (Refusal(challenge, verifier, now) is { } refused)
            {
                return refused;
            }

            var state = await states.StateAsync(rows, challenge, request.Factor, verifier.ReadsFactorRow, cancellationToken);
            if (state.Refusal is { } stale)
            {
                return stale;
            }

            if (state.Guard.IsLocked(now))
            {
                return guards.Locked(state.Guard);
            }

            var check = await verifier.CheckAsync(challenge, state.Factors, answer.Value, now, spent, cancellationToken);
            if (!check.IsSuccess)
            {
                return check.Error;
            }

            if (!check.Value.Matched)
            {
                return await CountFailureAsync(challenge, state.Guard, verifier, check.Value.Reason, now, cancellationToken);
            }

            if (check.Value.Spend is { } spend)
            {
                if (!await factorStore.TrySaveAsync(spend, cancellationToken))
                {
                    return Optimistic.LostRace;
                }

                spent = true;
            }

            // The guard goes with the challenge, conditional on the state just checked: a lockout set in between wins.
            var verified = challenge with { Status = ChallengeStatus.Verified, VerifiedAt = now, VerifiedFactor = request.Factor, CodeHash = null, PasskeyOptions = null };
            var change = new AccountChange(verified.TenantId, verified.UserId)
            {
                Challenge = verified,
                Guard = AccountGuardService.Cleared(state.Guard),
                Audit =
                [
                    new AuditEvent(verified.TenantId, AuditEventType.VerifySucceeded, now, verified.UserId, verified.UserId,
                        $"{verified.Purpose} challenge {verified.ChallengeId} verified by {request.Factor}."),
                ],
            };
            if (!await accounts.TryCommitAsync(change, cancellationToken))
            {
                return Optimistic.LostRace;
            }

            await verifier.OnVerifiedAsync(verified, check.Value.Spend, cancellationToken);
            return await completion.CompleteAsync(verified, request, state, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>The ordered rules on the challenge row itself, before anything else is read.</summary>
    private static DomainError? Refusal(Challenge challenge, IFactorVerifier verifier, DateTimeOffset now)
    {
        if (ChallengeViews.FinalStateError(challenge) is { } final)
        {
            return final;
        }

        if (!challenge.Factors.Contains(verifier.Factor))
        {
            return SignInRules.FactorNotOnChallenge(verifier.Factor);
        }

        if (verifier.Precondition(challenge) is { } notYet)
        {
            return notYet;
        }

        return challenge.ExpiresAt <= now
            ? new DomainError(ErrorKind.Gone, "challenge_expired", "The code has expired; ask for a new one.")
            : null;
    }

    /// <summary>
    /// A wrong answer, counted on the challenge and on the account (whichever challenge or factor it came through) in one
    /// conditional write: a guess that loses the race to another request is counted on neither, and read again.
    /// </summary>
    private async Task<Pass<VerifyOutcome>> CountFailureAsync(Challenge challenge, AccountGuard guard, IFactorVerifier verifier, string? reason,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var failedAttempts = challenge.FailedAttempts + 1;
        var failed = challenge with
        {
            FailedAttempts = failedAttempts,
            Status = failedAttempts >= options.MaxFailedAttemptsPerChallenge ? ChallengeStatus.Failed : ChallengeStatus.Pending,
        };
        var (counted, lockout) = guards.WithFailure(guard);
        var wrong = new AuditEvent(challenge.TenantId, AuditEventType.VerifyFailed, now, challenge.UserId, challenge.UserId,
            $"Wrong {verifier.Noun} for challenge {challenge.ChallengeId} ({failedAttempts} of {options.MaxFailedAttemptsPerChallenge}){(reason is null ? "" : $": {reason}")}.");
        var change = new AccountChange(challenge.TenantId, challenge.UserId)
        {
            Challenge = failed,
            Guard = counted,
            Audit = lockout is null ? [wrong] : [lockout, wrong],
        };
        if (!await accounts.TryCommitAsync(change, cancellationToken))
        {
            return Optimistic.LostRace;
        }

        guards.LockoutSaved(lockout);
        if (counted.IsLocked(now))
        {
            return guards.Locked(counted);
        }

        var triesLeft = Math.Max(0, Math.Min(options.MaxFailedAttemptsPerChallenge - failedAttempts, guards.RemainingAccountAttempts(counted)));
        return new DomainError(ErrorKind.Invalid, verifier.WrongAnswerCode,
                triesLeft > 0 ? $"The {verifier.Noun} is not correct." : $"The {verifier.Noun} is not correct and no tries are left; start a new sign-in.")
            .With("triesLeft", triesLeft);
    }
}
