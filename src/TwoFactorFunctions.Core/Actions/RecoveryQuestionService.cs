using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Actions;

/// <summary>
/// The SetRecoveryQuestion action, and the question and answer check of the portal's password-recovery flow.
/// </summary>
public sealed class RecoveryQuestionService(
    ITenantStore tenants,
    RequiredActionCompletion completion,
    AccountGuardService guards,
    IAuditLog audit,
    TimeProvider time)
{
    public async Task<Result<RequiredActionStatus>> SetRecoveryQuestionAsync(string tenantId, string userId, string? questionId, string? answer,
        CancellationToken cancellationToken)
    {
        if (questionId is null || answer is null)
        {
            return new DomainError(ErrorKind.Invalid, "invalid_request", "questionId and answer are required.");
        }

        var normalised = RecoveryAnswers.Normalise(answer);
        if (!normalised.IsSuccess)
        {
            return normalised.Error;
        }

        var tenant = await tenants.GetAsync(tenantId, cancellationToken);
        if (tenant is null)
        {
            return Errors.TenantNotFound;
        }

        if (tenant.EffectiveRecoveryQuestions.All(q => q.Id != questionId))
        {
            return new DomainError(ErrorKind.Invalid, "invalid_recovery_question", "questionId must be one of the tenant's recovery questions.");
        }

        // Hashed once, before the write loop: a lost race re-reads the user, not the slow hash.
        string? hash = null;
        return await completion.CompleteAsync(tenantId, userId, RequiredAction.SetRecoveryQuestion, mustBePending: true, (_, user, now) =>
        {
            hash ??= RecoveryAnswers.Hash(normalised.Value);
            return user with
            {
                RecoveryQuestionId = questionId,
                RecoveryAnswerHash = hash,
                RecoverySetAt = now,
                RequiredActions = user.RequiredActions.Where(a => a != RequiredAction.SetRecoveryQuestion).ToArray(),
            };
        }, AuditEventType.RecoveryQuestionSet, $"Recovery question '{questionId}' set.", cancellationToken);
    }

    /// <summary>The question to show in the portal's password-recovery flow (the user is not signed in there).</summary>
    public async Task<Result<RecoveryQuestionView>> GetRecoveryQuestionAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        var loaded = await completion.LoadAsync(tenantId, userId, cancellationToken);
        if (!loaded.IsSuccess)
        {
            return loaded.Error;
        }

        var (tenant, user) = loaded.Value;
        if (user.RecoveryAnswerHash is null || user.RecoveryQuestionId is not { } questionId)
        {
            return RequiredActionRules.RecoveryNotSet;
        }

        // A question the tenant has since removed keeps its id and answer; only its text is gone.
        var text = tenant.EffectiveRecoveryQuestions.FirstOrDefault(q => q.Id == questionId)?.Text;
        return new RecoveryQuestionView(questionId, text, user.RecoverySetAt);
    }

    /// <summary>For the portal's password-recovery flow. Wrong answers count toward the same lockout as wrong codes.</summary>
    public async Task<Result<RecoveryAnswerCheck>> CheckRecoveryAnswerAsync(string tenantId, string userId, string? answer, CancellationToken cancellationToken)
    {
        if (answer is null)
        {
            return new DomainError(ErrorKind.Invalid, "invalid_request", "answer is required.");
        }

        // Not a guess at all (it cannot match), so it costs no attempt.
        var normalised = RecoveryAnswers.Normalise(answer);
        if (!normalised.IsSuccess)
        {
            return normalised.Error;
        }

        var loaded = await completion.LoadAsync(tenantId, userId, cancellationToken);
        if (!loaded.IsSuccess)
        {
            return loaded.Error;
        }

        if (loaded.Value.User.RecoveryAnswerHash is not { } stored)
        {
            return RequiredActionRules.RecoveryNotSet;
        }

        return await Optimistic.RetryAsync<RecoveryAnswerCheck>(async () =>
        {
            var now = time.GetUtcNow();
            var guard = await guards.GetAsync(tenantId, userId, cancellationToken);
            if (guard.IsLocked(now))
            {
                return guards.Locked(guard);
            }

            if (RecoveryAnswers.Matches(stored, normalised.Value))
            {
                // Conditional on the guard as checked: a lockout set by a parallel wrong answer in between wins.
                if (!await guards.TryClearFailuresAsync(guard, cancellationToken))
                {
                    return Optimistic.LostRace;
                }

                await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.RecoveryAnswerVerified, now, userId, null, "Recovery answer correct."), cancellationToken);
                return new RecoveryAnswerCheck(true);
            }

            var counted = await guards.RecordFailureAsync(tenantId, userId, cancellationToken);
            if (!counted.IsSuccess)
            {
                return counted.Error;
            }

            await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.RecoveryAnswerFailed, now, userId, null, "Wrong recovery answer."), cancellationToken);
            var accountGuard = counted.Value;
            if (accountGuard.IsLocked(now))
            {
                return guards.Locked(accountGuard);
            }

            return new DomainError(ErrorKind.Invalid, "invalid_recovery_answer", "The answer is not correct.")
                .With("triesLeft", guards.RemainingAccountAttempts(accountGuard));
        }, cancellationToken);
    }
}
