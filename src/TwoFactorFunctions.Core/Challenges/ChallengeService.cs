using TwoFactorFunctions.Core.Actions;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Devices;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;
using TwoFactorFunctions.Core.Telemetry;

namespace TwoFactorFunctions.Core.Challenges;

/// <summary>
/// Issues, sends and verifies one-time codes: the role SignInManager plays for Identity's two-factor sign-in.
/// </summary>
/// <remarks>
/// Every state change is an optimistic-concurrency write on the challenge row. A request that loses a race re-reads
/// and re-decides from the new state, so parallel verifies cannot use one code twice or exceed the attempt limit.
/// </remarks>
public sealed class ChallengeService(
    ITenantStore tenants,
    IUserStore users,
    IChallengeStore challenges,
    AccountGuardService guards,
    DeviceTrustService devices,
    ICodeDelivery delivery,
    SendGuard sendGuard,
    CodeHasher hasher,
    IAuditLog audit,
    TwoFactorOptions options,
    TwoFactorTelemetry telemetry,
    TimeProvider time,
    IUserFactorStore factorStore,
    TotpSecretProtector protector,
    RecoveryCodes recoveries,
    FactorNotifier notifier,
    AccountNotices notices)
{
    /// <summary>Called by the portal's server after its own password check.</summary>
    public async Task<Result<ChallengeDecision>> CreateSignInChallengeAsync(SignInChallengeRequest request, CancellationToken cancellationToken)
    {
        if ((Ids.Validate(request.TenantId, "tenantId") ?? Ids.Validate(request.UserId, "userId")) is { } invalid)
        {
            return invalid;
        }

        // Independent point reads, issued together: a sign-in waits for one storage round trip instead of two.
        var tenantRead = tenants.GetAsync(request.TenantId, cancellationToken);
        var userRead = users.GetAsync(request.TenantId, request.UserId, cancellationToken);
        await Task.WhenAll(tenantRead, userRead);
        if (await tenantRead is not { } tenant)
        {
            return Errors.TenantNotFound;
        }

        if (await userRead is not { } user)
        {
            return Errors.UserNotFound;
        }

        // Ordered rules, each answering one question; the first that decides wins.
        if (!user.Active)
        {
            return UserInactive;
        }

        // Read from the rows already in hand: the required actions cost the sign-in no extra round trip.
        var pending = RequiredActions.Pending(tenant, user);
        var userFactors = await factorStore.OfAsync(user, cancellationToken);
        var decision = await DecideSecondFactorAsync(tenant, user, userFactors, request, pending, cancellationToken);
        return decision.IsSuccess
            ? decision.Value! with { RequiredActions = pending, AuthenticatorEnrolmentRequired = decision.Value.Required && NeedsAuthenticator(tenant, user, userFactors) }
            : decision;
    }

    /// <summary>
    /// The factors a sign-in may be answered with: the tenant's allowed ones the user has. The code over the tenant's
    /// channel remains for a user with no stronger factor (or it would be no way in at all, not even to enrol one); an
    /// admin who has an authenticator must use it when the tenant requires that of admins.
    /// </summary>
    public IReadOnlyList<Factor> UsableFactors(Tenant tenant, DirectoryUser user, UserFactors userFactors)
    {
        var policy = tenant.FactorPolicy;
        var usable = new List<Factor>();
        var authenticator = protector.Available && userFactors.HasAuthenticator && policy.Allows(Factor.Authenticator);
        if (authenticator)
        {
            usable.Add(Factor.Authenticator);
            if (policy.Allows(Factor.RecoveryCode) && userFactors.RecoveryCodesLeft > 0)
            {
                usable.Add(Factor.RecoveryCode);
            }
        }

        var adminMustUseApp = authenticator && user.Role == UserRole.Admin && policy.AuthenticatorRequiredForAdmins;
        if ((policy.Allows(Factor.Code) && !adminMustUseApp) || !authenticator)
        {
            usable.Insert(0, Factor.Code);
        }

        return usable;
    }

    private bool NeedsAuthenticator(Tenant tenant, DirectoryUser user, UserFactors userFactors) =>
        !(protector.Available && userFactors.HasAuthenticator) && tenant.FactorPolicy.Allows(Factor.Authenticator)
        && (!tenant.FactorPolicy.Allows(Factor.Code) || (user.Role == UserRole.Admin && tenant.FactorPolicy.AuthenticatorRequiredForAdmins));

    private async Task<Result<ChallengeDecision>> DecideSecondFactorAsync(Tenant tenant, DirectoryUser user, UserFactors userFactors,
        SignInChallengeRequest request, IReadOnlyList<RequiredAction> pending, CancellationToken cancellationToken)
    {
        if (!tenant.TwoFactorEnabled)
        {
            return new ChallengeDecision(NotRequiredReason.TenantTwoFactorDisabled, null);
        }

        // RequiredForAll covers every active user, including ones added after (or during) the enrolment run.
        if (tenant.Mode == TwoFactorMode.UserOptIn && !user.TwoFactorEnabled)
        {
            return new ChallengeDecision(NotRequiredReason.UserNotEnrolled, null);
        }

        if (tenant.SkipFirstSignIn && user.FirstSignInAt is null
            && await TryRecordFirstSignInAsync(user, cancellationToken))
        {
            return new ChallengeDecision(NotRequiredReason.FirstSignIn, null);
        }

        if (await devices.IsTrustedAsync(tenant, user, request.DeviceToken, cancellationToken))
        {
            return new ChallengeDecision(NotRequiredReason.TrustedDevice, null);
        }

        var browser = BrowserTokens.New();
        var issued = await IssueWithFactorsAsync(tenant, user, UsableFactors(tenant, user, userFactors), ChallengePurpose.SignIn, request.SendCode, pending,
            browser.Hash, cancellationToken);
        return issued.IsSuccess ? new ChallengeDecision(null, issued.Value) { BrowserToken = browser.Token } : issued.Error!;
    }

    /// <summary>
    /// A proof for a factor change or an admin's step-up, answerable with the factors <see cref="FactorChangeRule"/>
    /// offers (see <see cref="FactorChangeProofs"/>): an admin or user with an app is never sent a code for it.
    /// </summary>
    public Task<Result<ChallengeView>> IssueProofAsync(Tenant tenant, DirectoryUser prover, IReadOnlyList<Factor> offered, ChallengePurpose purpose,
        CancellationToken cancellationToken) =>
        IssueWithFactorsAsync(tenant, prover, offered, purpose, sendCode: true, [], null, cancellationToken);

    private async Task<Result<ChallengeView>> IssueWithFactorsAsync(Tenant tenant, DirectoryUser user, IReadOnlyList<Factor> usable, ChallengePurpose purpose,
        bool sendCode, IReadOnlyList<RequiredAction> pending, byte[]? browserTokenHash, CancellationToken cancellationToken)
    {
        var destination = DestinationFor(tenant.Channel, user);
        if (destination is null && usable.Contains(Factor.Code))
        {
            // A user with an authenticator can still sign in without a contact on the tenant's channel.
            if (usable.Count == 1)
            {
                return new DomainError(ErrorKind.Conflict, "no_contact_for_channel",
                    $"The user has no {CodeMessages.ChannelName(tenant.Channel)} contact to send a code to.");
            }

            usable = usable.Where(f => f != Factor.Code).ToArray();
        }

        var preferred = usable.Contains(tenant.FactorPolicy.Preferred) ? tenant.FactorPolicy.Preferred : usable[0];

        // The code is sent at once only when it is what the user is expected to use; otherwise on request (.../send).
        var send = sendCode && preferred == Factor.Code;
        return await IssueAsync(tenant, user, purpose, tenant.Channel, destination ?? "", send, pending, usable, preferred, browserTokenHash, cancellationToken);
    }

    /// <summary>
    /// Creates a challenge for a purpose other than sign-in (step-up, self-service, contact change). The caller has
    /// already decided the channel and destination.
    /// </summary>
    public Task<Result<ChallengeView>> IssueAsync(Tenant tenant, DirectoryUser user, ChallengePurpose purpose,
        Channel channel, string destination, bool sendCode, CancellationToken cancellationToken) =>
        IssueAsync(tenant, user, purpose, channel, destination, sendCode, [], [Factor.Code], Factor.Code, null, cancellationToken);

    private async Task<Result<ChallengeView>> IssueAsync(Tenant tenant, DirectoryUser user, ChallengePurpose purpose,
        Channel channel, string destination, bool sendCode, IReadOnlyList<RequiredAction> requiredActions,
        IReadOnlyList<Factor> factors, Factor preferred, byte[]? browserTokenHash, CancellationToken cancellationToken)
    {
        if (await guards.TryRecordChallengeIssuedAsync(tenant.TenantId, user.UserId, cancellationToken) is { } limited)
        {
            return limited;
        }

        var now = time.GetUtcNow();
        var challenge = new Challenge
        {
            TenantId = tenant.TenantId,
            ChallengeId = Ids.NewId(),
            UserId = user.UserId,
            Purpose = purpose,
            Channel = channel,
            Destination = destination,
            RequiredActions = requiredActions,
            BrowserTokenHash = browserTokenHash,
            Factors = factors,
            PreferredFactor = preferred,
            Status = ChallengeStatus.Pending,
            CreatedAt = now,
            ExpiresAt = now.AddMinutes(tenant.CodeLifetimeMinutes),
        };

        if (!sendCode)
        {
            await challenges.InsertAsync(challenge, cancellationToken);
            return View(challenge);
        }

        // The row is written with the hash before the code leaves: a code that was sent can always be verified.
        var code = CodeHasher.NewCode();
        challenge = challenge with { CodeVersion = 1, Sends = 1, LastSentAt = now, CodeHash = hasher.Hash(challenge, 1, code) };
        await challenges.InsertAsync(challenge, cancellationToken);
        return await DeliverAsync(tenant, user.DisplayName, challenge, code, cancellationToken);
    }

    /// <summary>Sends a new code (the first one in manual mode, or a resend). The previous code stops working.</summary>
    public async Task<Result<ChallengeView>> SendCodeAsync(string tenantId, string challengeId, CancellationToken cancellationToken)
    {
        if ((Ids.Validate(tenantId, "tenantId") ?? Ids.Validate(challengeId, "challengeId")) is { } invalid)
        {
            return invalid;
        }

        var tenant = await tenants.GetAsync(tenantId, cancellationToken);
        if (tenant is null)
        {
            return Errors.TenantNotFound;
        }

        for (var attempt = 0; attempt < AccountGuardService.MaxConcurrencyRetries; attempt++)
        {
            var now = time.GetUtcNow();
            var challenge = await challenges.GetAsync(tenantId, challengeId, cancellationToken);
            if (challenge is null)
            {
                return Errors.ChallengeNotFound;
            }

            if (FinalStateError(challenge) is { } final)
            {
                return final;
            }

            if (!challenge.Factors.Contains(Factor.Code))
            {
                return FactorNotOnChallenge(Factor.Code);
            }

            if (now - challenge.CreatedAt > options.ChallengeMaxAge)
            {
                return new DomainError(ErrorKind.Gone, "challenge_too_old", "This challenge is too old to resend; start a new sign-in.");
            }

            if (challenge.LastSentAt is { } last && now - last < options.ResendCooldown)
            {
                return new DomainError(ErrorKind.TooManyRequests, "resend_too_soon", "A code was sent moments ago; wait before asking for another.")
                    { RetryAfter = last + options.ResendCooldown - now };
            }

            if (challenge.Sends > options.MaxResendsPerChallenge)
            {
                return new DomainError(ErrorKind.TooManyRequests, "resend_limit_reached", "No more codes can be sent for this challenge; start a new sign-in.");
            }

            var guard = await guards.GetAsync(tenantId, challenge.UserId, cancellationToken);
            if (guard.IsLocked(now))
            {
                return guards.Locked(guard);
            }

            var code = CodeHasher.NewCode();
            var version = challenge.CodeVersion + 1;
            var updated = challenge with
            {
                CodeVersion = version,
                CodeHash = hasher.Hash(challenge, version, code),
                Sends = challenge.Sends + 1,
                LastSentAt = now,
                ExpiresAt = now.AddMinutes(tenant.CodeLifetimeMinutes),
            };

            // A parallel resend that won the race makes this one see the cooldown on the next pass.
            if (await challenges.TryReplaceAsync(updated, cancellationToken))
            {
                var user = await users.GetAsync(tenantId, challenge.UserId, cancellationToken);
                return await DeliverAsync(tenant, user?.DisplayName, updated, code, cancellationToken);
            }
        }

        return AccountGuardService.Contended();
    }

    public async Task<Result<VerifyOutcome>> VerifyAsync(VerifyRequest request, CancellationToken cancellationToken)
    {
        var result = await VerifyCodeAsync(request, cancellationToken);
        telemetry.Verification(result.IsSuccess ? "success" : result.Error!.Code);
        return result;
    }

    private async Task<Result<VerifyOutcome>> VerifyCodeAsync(VerifyRequest request, CancellationToken cancellationToken)
    {
        if ((Ids.Validate(request.TenantId, "tenantId") ?? Ids.Validate(request.ChallengeId, "challengeId")) is { } invalid)
        {
            return invalid;
        }

        if (!Enum.IsDefined(request.Factor))
        {
            return new DomainError(ErrorKind.Invalid, "invalid_factor", "factor must be Code, Authenticator or RecoveryCode.");
        }

        // A malformed answer is not a guess at all (it cannot match), so it costs no attempt.
        var recoveryCode = request.Factor == Factor.RecoveryCode ? RecoveryCodes.Normalise(request.Code) : null;
        if (request.Factor == Factor.RecoveryCode && recoveryCode is null)
        {
            return new DomainError(ErrorKind.Invalid, "invalid_recovery_code_format", "A recovery code is 10 letters and digits (xxxxx-xxxxx).");
        }

        if (request.Factor != Factor.RecoveryCode && !CodeHasher.IsWellFormed(request.Code))
        {
            return new DomainError(ErrorKind.Invalid, "invalid_code_format", "The code must be exactly 6 digits.");
        }

        // Set once this request has spent its time step or recovery code: a retry after a lost race on the challenge
        // row must not see its own spend as a replay.
        var spent = false;
        for (var attempt = 0; attempt < AccountGuardService.MaxConcurrencyRetries; attempt++)
        {
            var now = time.GetUtcNow();
            var challenge = await challenges.GetAsync(request.TenantId, request.ChallengeId, cancellationToken);
            if (challenge is null)
            {
                return Errors.ChallengeNotFound;
            }

            if (FinalStateError(challenge) is { } final)
            {
                return final;
            }

            if (!challenge.Factors.Contains(request.Factor))
            {
                return FactorNotOnChallenge(request.Factor);
            }

            if (request.Factor == Factor.Code && challenge.CodeHash is null)
            {
                return new DomainError(ErrorKind.Conflict, "code_not_sent", "No code has been sent for this challenge yet.");
            }

            if (challenge.ExpiresAt <= now)
            {
                return new DomainError(ErrorKind.Gone, "challenge_expired", "The code has expired; ask for a new one.");
            }

            var state = await ReadVerifyStateAsync(challenge, request.Factor, cancellationToken);
            if (state.Refusal is { } refused)
            {
                return refused;
            }

            var guard = state.Guard;
            if (guard.IsLocked(now))
            {
                return guards.Locked(guard);
            }

            UserFactors? spend = null;
            bool matched;
            if (request.Factor == Factor.Code)
            {
                matched = hasher.Matches(challenge, request.Code);
            }
            else
            {
                var check = CheckFactor(challenge, state.Factors!, request.Factor, request.Code, recoveryCode, now, spent);
                if (!check.IsSuccess)
                {
                    return check.Error!;
                }

                (matched, spend) = check.Value;
            }

            if (matched)
            {
                // The guard write is conditional on the state we just checked: a lockout set in between wins.
                if (!await guards.TryClearFailuresAsync(guard, cancellationToken))
                {
                    continue;
                }

                // The factor row is the replay gate: of parallel requests with one time step or recovery code, one wins here.
                if (spend is not null)
                {
                    if (!await factorStore.TrySaveAsync(spend, cancellationToken))
                    {
                        continue;
                    }

                    spent = true;
                }

                var verified = challenge with { Status = ChallengeStatus.Verified, VerifiedAt = now, VerifiedFactor = request.Factor, CodeHash = null };
                if (!await challenges.TryReplaceAsync(verified, cancellationToken))
                {
                    continue;
                }

                if (request.Factor == Factor.RecoveryCode)
                {
                    await RecordRecoveryCodeUsedAsync(verified, spend, cancellationToken);
                }

                return await CompleteAsync(verified, request, state, cancellationToken);
            }

            var failedAttempts = challenge.FailedAttempts + 1;
            var failed = challenge with
            {
                FailedAttempts = failedAttempts,
                Status = failedAttempts >= options.MaxFailedAttemptsPerChallenge ? ChallengeStatus.Failed : ChallengeStatus.Pending,
            };

            // The challenge row is the gate: only a guess that lands here is counted, on the challenge and the account.
            if (!await challenges.TryReplaceAsync(failed, cancellationToken))
            {
                continue;
            }

            var counted = await guards.RecordFailureAsync(request.TenantId, challenge.UserId, cancellationToken);
            if (!counted.IsSuccess)
            {
                return counted.Error!;
            }

            var what = request.Factor switch { Factor.Authenticator => "authenticator code", Factor.RecoveryCode => "recovery code", _ => "code" };
            await audit.RecordAsync(new AuditEvent(request.TenantId, AuditEventType.VerifyFailed, now, challenge.UserId, challenge.UserId,
                $"Wrong {what} for challenge {challenge.ChallengeId} ({failedAttempts} of {options.MaxFailedAttemptsPerChallenge})."), cancellationToken);

            var accountGuard = counted.Value!;
            if (accountGuard.IsLocked(now))
            {
                return guards.Locked(accountGuard);
            }

            var triesLeft = Math.Max(0, Math.Min(options.MaxFailedAttemptsPerChallenge - failedAttempts, guards.RemainingAccountAttempts(accountGuard)));
            return new DomainError(ErrorKind.Invalid, "invalid_code",
                    triesLeft > 0 ? "The code is not correct." : "The code is not correct and no tries are left; start a new sign-in.")
                .With("triesLeft", triesLeft);
        }

        return AccountGuardService.Contended();
    }

    /// <summary>
    /// A browser presenting a sign-in challenge's token: accepted only for that challenge, while it is still open. The
    /// answers are the same for an unknown challenge and a wrong token, so the token cannot be used to probe ids.
    /// </summary>
    public async Task<DomainError?> AuthorizeBrowserTokenAsync(string tenantId, string challengeId, string? token, CancellationToken cancellationToken)
    {
        var invalid = new DomainError(ErrorKind.Unauthorized, "invalid_challenge_token", "The challenge token is not valid for this challenge.");
        if (!Ids.IsValid(tenantId) || !Ids.IsValid(challengeId))
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
        if (!Ids.IsValid(tenantId) || !Ids.IsValid(challengeId))
        {
            return null;
        }

        var challenge = await challenges.GetAsync(tenantId, challengeId, cancellationToken);
        return challenge is not null && challenge.UserId != userId
            ? new DomainError(ErrorKind.Forbidden, "challenge_forbidden", "This challenge belongs to another user.")
            : null;
    }

    /// <summary>
    /// Checks an authenticator or recovery code against the user's factor row. A match returns the row as it must be
    /// written to spend it (null when this request already spent it); a correct TOTP code of a time step already used is
    /// refused outright: it is a replay, not a guess.
    /// </summary>
    private Result<(bool Matched, UserFactors? Spend)> CheckFactor(Challenge challenge, UserFactors current, Factor factor, string code, string? recoveryCode,
        DateTimeOffset now, bool alreadySpent)
    {
        if (!protector.Available)
        {
            return AuthenticatorService.Unavailable;
        }

        if (!current.HasAuthenticator || protector.Open(challenge.TenantId, challenge.UserId, current.TotpSecret!) is not { } secret)
        {
            return AuthenticatorService.NoAuthenticator;
        }

        // Re-sealed under the current key whenever the row is written anyway (key rotation without a migration).
        var resealed = protector.IsStale(current.TotpSecret!) ? current with { TotpSecret = protector.Seal(challenge.TenantId, challenge.UserId, secret) } : current;
        if (factor == Factor.Authenticator)
        {
            if (TotpCodes.MatchStep(secret, code, now) is not { } step)
            {
                return (false, null);
            }

            if (step <= current.TotpLastStep)
            {
                return alreadySpent
                    ? (true, null)
                    : new DomainError(ErrorKind.Conflict, "code_already_used", "This authenticator code has been used already; wait for the next one.");
            }

            return (true, resealed with { TotpLastStep = step });
        }

        var slot = recoveries.Find(current, recoveryCode!);
        if (slot < 0)
        {
            return (false, null);
        }

        if (current.IsUsed(slot))
        {
            // Spent by this very request (it lost the race on the challenge row, not on the code), or a replay.
            return alreadySpent
                ? (true, null)
                : new DomainError(ErrorKind.Conflict, "recovery_code_already_used", "This recovery code has been used already; use another one.");
        }

        var used = Enumerable.Range(0, current.RecoveryCodeHashes.Count).Select(current.IsUsed).ToArray();
        used[slot] = true;
        return (true, resealed with { RecoveryCodesUsed = used });
    }

    private async Task RecordRecoveryCodeUsedAsync(Challenge verified, UserFactors? spend, CancellationToken cancellationToken)
    {
        var left = (spend ?? await factorStore.GetAsync(verified.TenantId, verified.UserId, cancellationToken)).RecoveryCodesLeft;
        await audit.RecordAsync(new AuditEvent(verified.TenantId, AuditEventType.RecoveryCodeUsed, time.GetUtcNow(), verified.UserId, verified.UserId,
            $"Recovery code used for {verified.Purpose} challenge {verified.ChallengeId}; {left} left."), cancellationToken);
        if (await users.GetAsync(verified.TenantId, verified.UserId, cancellationToken) is { } user)
        {
            await notifier.NotifyAsync(user, notices.FactorChanged(FactorNotice.RecoveryCodeUsed, left), $"{verified.ChallengeId}.recovery-code-used", cancellationToken);
        }
    }

    private static readonly DomainError UserInactive = new(ErrorKind.Forbidden, "user_inactive", "The user is inactive and cannot sign in.");

    private static DomainError FactorNotOnChallenge(Factor factor) =>
        new DomainError(ErrorKind.Conflict, "factor_not_allowed", $"This challenge cannot be answered with {factor}.")
            .With("factor", factor.ToString());

    public async Task<Result<ChallengeView>> GetAsync(string tenantId, string challengeId, CancellationToken cancellationToken)
    {
        if ((Ids.Validate(tenantId, "tenantId") ?? Ids.Validate(challengeId, "challengeId")) is { } invalid)
        {
            return invalid;
        }

        var challenge = await challenges.GetAsync(tenantId, challengeId, cancellationToken);
        return challenge is null ? Errors.ChallengeNotFound : View(challenge);
    }

    /// <summary>
    /// Spends a verified challenge on the sensitive action it was issued for: verified recently, by this user, for this
    /// purpose, and never spent before (the write is conditional, so two actions cannot share one proof).
    /// </summary>
    public Task<Result<Challenge>> ConsumeVerifiedAsync(string tenantId, string? challengeId, string userId,
        ChallengePurpose purpose, CancellationToken cancellationToken) =>
        ConsumeVerifiedAsync(tenantId, challengeId, userId, purpose, null, cancellationToken);

    /// <param name="accept">A further rule the proof must meet (see <see cref="FactorChangeProofs"/>), checked on the row that is spent.</param>
    public async Task<Result<Challenge>> ConsumeVerifiedAsync(string tenantId, string? challengeId, string userId,
        ChallengePurpose purpose, Func<Challenge, DomainError?>? accept, CancellationToken cancellationToken)
    {
        var proofRequired = new DomainError(ErrorKind.Forbidden, "verification_required",
            "This change needs a freshly verified code: create a challenge, verify it, and pass its id as verifiedChallengeId.");
        if (!Ids.IsValid(challengeId))
        {
            return proofRequired;
        }

        for (var attempt = 0; attempt < AccountGuardService.MaxConcurrencyRetries; attempt++)
        {
            var challenge = await challenges.GetAsync(tenantId, challengeId!, cancellationToken);
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
            if (await challenges.TryReplaceAsync(consumed, cancellationToken))
            {
                return consumed;
            }
        }

        return AccountGuardService.Contended();
    }

    public static string? DestinationFor(Channel channel, DirectoryUser user) =>
        channel == Channel.Email ? user.Email : user.Phone;

    public ChallengeView View(Challenge challenge)
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

    private async Task<Result<ChallengeView>> DeliverAsync(Tenant tenant, string? name, Challenge challenge, string code, CancellationToken cancellationToken)
    {
        if (await sendGuard.TryReserveAsync(tenant, challenge.UserId, challenge.Channel, challenge.Destination, cancellationToken) is { } blocked)
        {
            return blocked;
        }

        using var span = TwoFactorTelemetry.Source.StartActivity("SendCode");
        span?.SetTag("tff.channel", TwoFactorTelemetry.ChannelTag(challenge.Channel));
        try
        {
            // The idempotency key names this exact code version, so a provider-side retry never sends a second message.
            await delivery.DeliverAsync(tenant.TenantId, challenge.Channel, challenge.Destination, name, code, tenant.CodeLifetimeMinutes,
                $"{challenge.ChallengeId}.{challenge.CodeVersion}", cancellationToken);
            telemetry.CodeSent(challenge.Channel, delivered: true);
        }
        catch (DeliveryException ex)
        {
            telemetry.CodeSent(challenge.Channel, delivered: false);
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "delivery_failed");
            return new DomainError(ErrorKind.Unavailable, "delivery_failed",
                    "The code could not be sent right now. Try again shortly.")
                { RetryAfter = ex.RetryAfter ?? options.ResendCooldown }
                .With("challengeId", challenge.ChallengeId);
        }

        await audit.RecordAsync(new AuditEvent(tenant.TenantId, AuditEventType.ChallengeSent, time.GetUtcNow(), challenge.UserId, null,
            $"Code {challenge.CodeVersion} for {challenge.Purpose} challenge {challenge.ChallengeId} sent by {challenge.Channel}."), cancellationToken);
        return View(challenge);
    }

    /// <summary>What a verify reads beside the challenge: the account guard, and for a sign-in the tenant and user as they are now.</summary>
    private sealed record VerifyState(AccountGuard Guard, Tenant? Tenant, DirectoryUser? User, UserFactors? Factors, DomainError? Refusal);

    /// <summary>
    /// A sign-in is re-checked against the tenant and user as they are at verify, not as they were at issue: a policy
    /// tightened, an app enrolled or a user deactivated in between decides the answer. The reads go out together with the
    /// guard's, so they cost the verify no extra round trip; the factor row is read only for a user who has one.
    /// </summary>
    private async Task<VerifyState> ReadVerifyStateAsync(Challenge challenge, Factor factor, CancellationToken cancellationToken)
    {
        var guardRead = guards.GetAsync(challenge.TenantId, challenge.UserId, cancellationToken);
        if (challenge.Purpose != ChallengePurpose.SignIn)
        {
            var own = factor == Factor.Code ? null : await factorStore.GetAsync(challenge.TenantId, challenge.UserId, cancellationToken);
            return new VerifyState(await guardRead, null, null, own, null);
        }

        var tenantRead = tenants.GetAsync(challenge.TenantId, cancellationToken);
        var userRead = users.GetAsync(challenge.TenantId, challenge.UserId, cancellationToken);
        await Task.WhenAll(guardRead, tenantRead, userRead);
        var (guard, tenant, user) = (await guardRead, await tenantRead, await userRead);
        if (tenant is null || user is null)
        {
            return new VerifyState(guard, tenant, user, null, tenant is null ? Errors.TenantNotFound : Errors.UserNotFound);
        }

        if (!user.Active)
        {
            return new VerifyState(guard, tenant, user, null, UserInactive);
        }

        var held = await factorStore.OfAsync(user, cancellationToken);
        var refusal = UsableFactors(tenant, user, held).Contains(factor) ? null : FactorNotOnChallenge(factor);
        return new VerifyState(guard, tenant, user, held, refusal);
    }

    private async Task<Result<VerifyOutcome>> CompleteAsync(Challenge verified, VerifyRequest request, VerifyState state, CancellationToken cancellationToken)
    {
        await audit.RecordAsync(new AuditEvent(verified.TenantId, AuditEventType.VerifySucceeded, time.GetUtcNow(), verified.UserId, verified.UserId,
            $"{verified.Purpose} challenge {verified.ChallengeId} verified by {request.Factor}."), cancellationToken);
        if (verified.Purpose != ChallengePurpose.SignIn || state is not { Tenant: { } tenant, User: { } user, Factors: { } held })
        {
            return new VerifyOutcome(View(verified), null);
        }

        // A code the policy does not accept was offered only so that a user without an app can enrol one: the sign-in
        // is not complete, and no device is remembered on its strength.
        var enrolmentOnly = request.Factor == Factor.Code && !tenant.FactorPolicy.Allows(Factor.Code);
        if (user.VerifiedChannel != verified.Channel)
        {
            user = await RecordChannelProvenAsync(user, verified.Channel, cancellationToken) ?? user;
        }

        IssuedDeviceToken? device = null;
        if (request.RememberDevice && tenant.DeviceTrustDays > 0 && !enrolmentOnly)
        {
            device = await devices.IssueAsync(tenant, user, request.DeviceLabel, cancellationToken);
        }

        // Recomputed from the rows read for this verify: an action forced after the challenge was issued is not missed.
        return new VerifyOutcome(View(verified), device)
        {
            RequiredActions = RequiredActions.Pending(tenant, user),
            AuthenticatorEnrolmentRequired = NeedsAuthenticator(tenant, user, held),
            EnrolmentOnly = enrolmentOnly,
        };
    }

    /// <summary>A sign-in verified on the tenant's current channel completes a pending re-verification (seed B).</summary>
    private async Task<DirectoryUser?> RecordChannelProvenAsync(DirectoryUser user, Channel channel, CancellationToken cancellationToken)
    {
        var result = await users.UpdateAsync(user.TenantId, user.UserId,
            u => u.VerifiedChannel == channel ? u : u with { VerifiedChannel = channel }, cancellationToken);
        return result.IsSuccess ? result.Value : null;
    }

    private async Task<bool> TryRecordFirstSignInAsync(DirectoryUser user, CancellationToken cancellationToken) =>
        // Conditional on the user as read: of two parallel first sign-ins only one is let through unchallenged.
        await users.TryReplaceAsync(user with { FirstSignInAt = time.GetUtcNow() }, cancellationToken);

    private static DomainError? FinalStateError(Challenge challenge) => challenge.Status switch
    {
        ChallengeStatus.Verified => new DomainError(ErrorKind.Conflict, "challenge_already_used", "This challenge has already been verified."),
        ChallengeStatus.Failed => new DomainError(ErrorKind.Gone, "challenge_failed", "Too many wrong codes for this challenge; start a new sign-in.")
            .With("triesLeft", 0),
        _ => null,
    };
}

/// <summary>Errors shared by several services.</summary>
public static class Errors
{
    public static readonly DomainError TenantNotFound = new(ErrorKind.NotFound, "tenant_not_found", "No such tenant.");
    public static readonly DomainError UserNotFound = new(ErrorKind.NotFound, "user_not_found", "No such user in this tenant.");
    public static readonly DomainError ChallengeNotFound = new(ErrorKind.NotFound, "challenge_not_found", "No such challenge in this tenant.");
}
