using System.Security.Cryptography;
using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Actions;

public sealed record PasswordCheck(bool Accepted, IReadOnlyList<PasswordViolation> Violations, string? Receipt, DateTimeOffset? ReceiptExpiresAt);

/// <summary>A user's required actions and what they have done, for the user's own view and the admin's.</summary>
public sealed record RequiredActionStatus(
    IReadOnlyList<RequiredAction> Pending,
    RequiredAction? Next,
    DateTimeOffset? PasswordChangedAt,
    string? RecoveryQuestionId,
    DateTimeOffset? RecoverySetAt,
    int? AcceptedTermsVersion,
    DateTimeOffset? TermsAcceptedAt,
    int CurrentTermsVersion)
{
    public static RequiredActionStatus Of(Tenant tenant, DirectoryUser user)
    {
        var pending = RequiredActions.Pending(tenant, user);
        return new(pending, pending.Count > 0 ? pending[0] : null, user.PasswordChangedAt, user.RecoveryQuestionId, user.RecoverySetAt,
            user.AcceptedTermsVersion, user.TermsAcceptedAt, tenant.TermsVersion);
    }
}

public sealed record RecoveryAnswerCheck(bool Matched);

public sealed record RecoveryQuestionView(string QuestionId, string? Text, DateTimeOffset? SetAt);

/// <summary>
/// The required actions of a sign-in (seed A's new user: change the temporary password to the policy, set a recovery
/// question, accept the terms of use). The portal keeps storing passwords; this service checks a proposed one against
/// the tenant's policy, and accepts "password changed" only with the single-use receipt of a passing check.
/// </summary>
/// <remarks>
/// Each completion is one ETag-conditional write of the user row that both records the effect and removes the action,
/// so of any number of parallel attempts exactly one takes effect, and an action is refused while an earlier one is
/// still pending: the user cannot skip ahead by calling the endpoints out of order.
/// </remarks>
public sealed class RequiredActionService(
    ITenantStore tenants,
    IUserStore users,
    AccountGuardService guards,
    ActorRules actors,
    IAuditLog audit,
    TimeProvider time)
{
    /// <summary>Long enough to store the password and call back; short enough that a leaked receipt soon goes stale.</summary>
    public static readonly TimeSpan ReceiptLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Longer inputs are refused unread (a policy's maximum is far below it).</summary>
    public const int MaxPasswordInput = 1024;

    private const int ReceiptBytes = 32;

    private static readonly DomainError ReceiptRequired = new(ErrorKind.Forbidden, "password_check_required",
        "Mark a password changed with the receipt of a passing policy check for this user, used once within 10 minutes.");

    public async Task<Result<PasswordCheck>> CheckPasswordAsync(string tenantId, string userId, string? password, CancellationToken cancellationToken)
    {
        if ((Ids.Validate(tenantId, "tenantId") ?? Ids.Validate(userId, "userId")) is { } invalid)
        {
            return invalid;
        }

        if (string.IsNullOrEmpty(password) || password.Length > MaxPasswordInput)
        {
            return new DomainError(ErrorKind.Invalid, "invalid_request", $"password is required (at most {MaxPasswordInput} characters).");
        }

        var loaded = await LoadAsync(tenantId, userId, cancellationToken);
        if (!loaded.IsSuccess)
        {
            return loaded.Error;
        }

        var (tenant, user) = loaded.Value;
        var violations = tenant.PasswordPolicy.Check(password, user);
        if (violations.Count > 0)
        {
            return new PasswordCheck(false, violations, null, null);
        }

        var receipt = Ids.NewToken(ReceiptBytes);
        var expiresAt = time.GetUtcNow() + ReceiptLifetime;
        var saved = await users.UpdateAsync(tenantId, userId,
            u => u with { PasswordReceiptHash = Ids.HashToken(receipt), PasswordReceiptExpiresAt = expiresAt }, cancellationToken);
        return saved.IsSuccess ? new PasswordCheck(true, [], receipt, expiresAt) : saved.Error;
    }

    /// <summary>
    /// The portal stored the password it checked: spends the receipt, completes UpdatePassword if pending, and replaces
    /// the security stamp, which forgets the user's remembered devices (as Identity does on a password change).
    /// </summary>
    public async Task<Result<RequiredActionStatus>> CompletePasswordChangeAsync(string tenantId, string userId, string? receipt, CancellationToken cancellationToken)
    {
        if ((Ids.Validate(tenantId, "tenantId") ?? Ids.Validate(userId, "userId")) is { } invalid)
        {
            return invalid;
        }

        if (string.IsNullOrEmpty(receipt))
        {
            return new DomainError(ErrorKind.Invalid, "invalid_request", "receipt (from a passing password check) is required.");
        }

        var presented = Ids.HashToken(receipt);
        return await CompleteAsync(tenantId, userId, RequiredAction.UpdatePassword, mustBePending: false, (tenant, user, now) =>
        {
            if (user.PasswordReceiptHash is not { } stored || user.PasswordReceiptExpiresAt is not { } expires || expires <= now
                || !CryptographicOperations.FixedTimeEquals(stored, presented))
            {
                return ReceiptRequired;
            }

            return user with
            {
                PasswordReceiptHash = null,
                PasswordReceiptExpiresAt = null,
                PasswordChangedAt = now,
                SecurityStamp = Ids.NewId(),
                RequiredActions = user.RequiredActions.Where(a => a != RequiredAction.UpdatePassword).ToArray(),
            };
        }, AuditEventType.PasswordChanged, "Password changed after a passing policy check.", cancellationToken);
    }

    public async Task<Result<RequiredActionStatus>> SetRecoveryQuestionAsync(string tenantId, string userId, string? questionId, string? answer,
        CancellationToken cancellationToken)
    {
        if ((Ids.Validate(tenantId, "tenantId") ?? Ids.Validate(userId, "userId")) is { } invalid)
        {
            return invalid;
        }

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
        return await CompleteAsync(tenantId, userId, RequiredAction.SetRecoveryQuestion, mustBePending: true, (_, user, now) =>
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

    public async Task<Result<RequiredActionStatus>> AcceptTermsAsync(string tenantId, string userId, int? version, CancellationToken cancellationToken)
    {
        if ((Ids.Validate(tenantId, "tenantId") ?? Ids.Validate(userId, "userId")) is { } invalid)
        {
            return invalid;
        }

        if (version is null)
        {
            return new DomainError(ErrorKind.Invalid, "invalid_request", "version (the terms version the user was shown) is required.");
        }

        return await CompleteAsync(tenantId, userId, RequiredAction.AcceptTerms, mustBePending: true, (tenant, user, now) =>
            version != tenant.TermsVersion
                ? new DomainError(ErrorKind.Conflict, "terms_version_outdated", "The user was shown other terms than the current ones; show the current version.")
                    .With("currentVersion", tenant.TermsVersion)
                : user with { AcceptedTermsVersion = version, TermsAcceptedAt = now },
            AuditEventType.TermsAccepted, $"Terms of use version {version} accepted.", cancellationToken);
    }

    /// <summary>The question to show in the portal's password-recovery flow (the user is not signed in there).</summary>
    public async Task<Result<RecoveryQuestionView>> GetRecoveryQuestionAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        if ((Ids.Validate(tenantId, "tenantId") ?? Ids.Validate(userId, "userId")) is { } invalid)
        {
            return invalid;
        }

        var loaded = await LoadAsync(tenantId, userId, cancellationToken);
        if (!loaded.IsSuccess)
        {
            return loaded.Error;
        }

        var (tenant, user) = loaded.Value;
        if (user.RecoveryAnswerHash is null || user.RecoveryQuestionId is not { } questionId)
        {
            return RecoveryNotSet;
        }

        // A question the tenant has since removed keeps its id and answer; only its text is gone.
        var text = tenant.EffectiveRecoveryQuestions.FirstOrDefault(q => q.Id == questionId)?.Text;
        return new RecoveryQuestionView(questionId, text, user.RecoverySetAt);
    }

    /// <summary>For the portal's password-recovery flow. Wrong answers count toward the same lockout as wrong codes.</summary>
    public async Task<Result<RecoveryAnswerCheck>> CheckRecoveryAnswerAsync(string tenantId, string userId, string? answer, CancellationToken cancellationToken)
    {
        if ((Ids.Validate(tenantId, "tenantId") ?? Ids.Validate(userId, "userId")) is { } invalid)
        {
            return invalid;
        }

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

        var loaded = await LoadAsync(tenantId, userId, cancellationToken);
        if (!loaded.IsSuccess)
        {
            return loaded.Error;
        }

        if (loaded.Value.User.RecoveryAnswerHash is not { } stored)
        {
            return RecoveryNotSet;
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

    /// <summary>Admin: the user must change the password, set the recovery question again, or accept the terms again.</summary>
    public async Task<Result<RequiredActionStatus>> ForceAsync(string tenantId, string userId, string? actorId, IReadOnlyList<RequiredAction>? actions,
        CancellationToken cancellationToken)
    {
        if (Ids.Validate(userId, "userId") is { } invalid)
        {
            return invalid;
        }

        var admin = await actors.RequireAdminAsync(tenantId, actorId, cancellationToken);
        if (!admin.IsSuccess)
        {
            return admin.Error;
        }

        if (actions is not { Count: > 0 } || actions.Any(a => !Enum.IsDefined(a)))
        {
            return new DomainError(ErrorKind.Invalid, "invalid_request", "actions must list one or more of UpdatePassword, SetRecoveryQuestion, AcceptTerms.");
        }

        var tenant = await tenants.GetAsync(tenantId, cancellationToken);
        if (tenant is null)
        {
            return Errors.TenantNotFound;
        }

        var terms = actions.Contains(RequiredAction.AcceptTerms);
        if (terms && tenant.TermsVersion == 0)
        {
            return NoTerms;
        }

        var flags = actions.Where(a => a != RequiredAction.AcceptTerms).ToArray();
        var updated = await users.UpdateAsync(tenantId, userId, u => u with
        {
            RequiredActions = u.RequiredActions.Concat(flags).Distinct().Order().ToArray(),
            AcceptedTermsVersion = terms ? null : u.AcceptedTermsVersion,
        }, cancellationToken);
        if (!updated.IsSuccess)
        {
            return updated.Error;
        }

        await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.RequiredActionsSet, time.GetUtcNow(), userId, admin.Value.UserId,
            $"Required at the next sign-in: {string.Join(", ", actions.Distinct().Order())}."), cancellationToken);
        return RequiredActionStatus.Of(tenant, updated.Value);
    }

    public async Task<Result<RequiredActionStatus>> GetStatusAsync(string tenantId, string userId, string? actorId, CancellationToken cancellationToken)
    {
        var actor = await actors.RequireSelfOrAdminAsync(tenantId, userId, actorId, cancellationToken);
        if (!actor.IsSuccess)
        {
            return actor.Error;
        }

        var loaded = await LoadAsync(tenantId, userId, cancellationToken, allowInactive: true);
        return loaded.IsSuccess ? RequiredActionStatus.Of(loaded.Value.Tenant, loaded.Value.User) : loaded.Error;
    }

    internal static readonly DomainError RecoveryNotSet = new(ErrorKind.NotFound, "recovery_question_not_set", "The user has not set a recovery question.");

    internal static readonly DomainError NoTerms = new(ErrorKind.Conflict, "no_terms_published", "The tenant has not published terms of use.");

    private async Task<Result<RequiredActionStatus>> CompleteAsync(string tenantId, string userId, RequiredAction action, bool mustBePending,
        Func<Tenant, DirectoryUser, DateTimeOffset, Result<DirectoryUser>> complete, AuditEventType auditType, string auditDetail,
        CancellationToken cancellationToken)
    {
        return await Optimistic.RetryAsync<RequiredActionStatus>(async () =>
        {
            var loaded = await LoadAsync(tenantId, userId, cancellationToken);
            if (!loaded.IsSuccess)
            {
                return loaded.Error;
            }

            var (tenant, user) = loaded.Value;
            var pending = RequiredActions.Pending(tenant, user);
            if (action == RequiredAction.AcceptTerms && tenant.TermsVersion == 0)
            {
                return NoTerms;
            }

            if (mustBePending && !pending.Contains(action))
            {
                return new DomainError(ErrorKind.Conflict, "required_action_not_pending", $"{action} is not pending for this user.")
                    .With("pending", pending);
            }

            if (pending.Count > 0 && pending[0] < action)
            {
                return new DomainError(ErrorKind.Conflict, "required_action_out_of_order", $"{pending[0]} comes before {action}.")
                    .With("next", pending[0]);
            }

            var now = time.GetUtcNow();
            var updated = complete(tenant, user, now);
            if (!updated.IsSuccess)
            {
                return updated.Error;
            }

            if (await users.TryReplaceAsync(updated.Value, cancellationToken))
            {
                await audit.RecordAsync(new AuditEvent(tenantId, auditType, now, userId, userId, auditDetail), cancellationToken);
                return RequiredActionStatus.Of(tenant, updated.Value);
            }

            return Optimistic.LostRace;
        }, cancellationToken);
    }

    private async Task<Result<(Tenant Tenant, DirectoryUser User)>> LoadAsync(string tenantId, string userId, CancellationToken cancellationToken,
        bool allowInactive = false)
    {
        var tenantRead = tenants.GetAsync(tenantId, cancellationToken);
        var userRead = users.GetAsync(tenantId, userId, cancellationToken);
        await Task.WhenAll(tenantRead, userRead);
        if (await tenantRead is not { } tenant)
        {
            return Errors.TenantNotFound;
        }

        if (await userRead is not { } user)
        {
            return Errors.UserNotFound;
        }

        return user.Active || allowInactive
            ? (tenant, user)
            : new DomainError(ErrorKind.Forbidden, "user_inactive", "The user is inactive and cannot sign in.");
    }
}
