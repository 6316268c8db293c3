using TwoFactorFunctions.Core.Actions;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;
using TwoFactorFunctions.Core.Telemetry;

namespace TwoFactorFunctions.Core.Challenges;

/// <summary>Creates challenges and sends their codes: the first one, and every resend.</summary>
/// <remarks>
/// A code exists only as a keyed hash on its challenge row, written before the code leaves: a code that was sent can
/// always be verified. The challenge, the account guard's rate count and the audit line go out in one transaction
/// conditional on the guard as read, so parallel requests cannot beat the rate. A resend replaces the hash (the
/// previous code stops working) with a conditional write, so parallel resends cannot beat the cooldown or the limit.
/// </remarks>
public sealed class ChallengeIssuer(
    ITenantStore tenants,
    IUserStore users,
    IChallengeStore challenges,
    IAccountStore accounts,
    AccountGuardService guards,
    ICodeDelivery delivery,
    SendGuard sendGuard,
    CodeHasher hasher,
    ChallengeViews views,
    IAuditLog audit,
    TwoFactorOptions options,
    TwoFactorTelemetry telemetry,
    TimeProvider time)
{
    /// <summary>
    /// A challenge answerable with <paramref name="usable"/> (see <see cref="SignInRules.Offer"/>): a sign-in, or a proof
    /// for a factor change or an admin's step-up, where a user with an app is never sent a code unasked.
    /// </summary>
    /// <param name="guard">The user's account guard if the caller has just read it with the user (a sign-in), saving a read.</param>
    public async Task<Result<ChallengeView>> IssueAsync(Tenant tenant, DirectoryUser user, IReadOnlyList<Factor> usable, ChallengePurpose purpose,
        bool sendCode, IReadOnlyList<RequiredAction> pending, byte[]? browserTokenHash, CancellationToken cancellationToken, AccountGuard? guard = null)
    {
        var offer = SignInRules.Offer(tenant, user, usable);
        return offer.IsSuccess
            ? await IssueAsync(tenant, user, purpose, tenant.Channel, offer.Value, offer.Value.SendsCodeAtOnce(sendCode), pending, browserTokenHash, guard, cancellationToken)
            : offer.Error;
    }

    /// <summary>A code challenge to a destination the caller decided (a contact change proves the new contact).</summary>
    public Task<Result<ChallengeView>> IssueCodeAsync(Tenant tenant, DirectoryUser user, ChallengePurpose purpose, Channel channel, string destination,
        CancellationToken cancellationToken) =>
        IssueAsync(tenant, user, purpose, channel, new ChallengeOffer([Factor.Code], Factor.Code, destination), sendCode: true, [], null, null, cancellationToken);

    private async Task<Result<ChallengeView>> IssueAsync(Tenant tenant, DirectoryUser user, ChallengePurpose purpose, Channel channel, ChallengeOffer offer,
        bool sendCode, IReadOnlyList<RequiredAction> requiredActions, byte[]? browserTokenHash, AccountGuard? guard, CancellationToken cancellationToken)
    {
        var code = sendCode ? CodeHasher.NewCode() : null;
        var issued = await Optimistic.RetryAsync<Challenge>(async () =>
        {
            // The caller's guard serves the first pass only; after a lost race the guard is read as it is now.
            var current = guard ?? (await accounts.ReadAsync(tenant.TenantId, user.UserId, cancellationToken)).Guard;
            guard = null;
            var counted = guards.WithChallengeIssued(current);
            if (!counted.IsSuccess)
            {
                return counted.Error;
            }

            var challenge = NewChallenge(tenant, user, purpose, channel, offer, requiredActions, browserTokenHash, code);
            var change = new AccountChange(tenant.TenantId, user.UserId)
            {
                Guard = counted.Value,
                Challenge = challenge,
                ChallengePurgeAt = challenge.PurgeAt(options),

                // Written with the code's hash, before the code leaves (a failed send is then answered 503 delivery_failed).
                Audit = code is null ? [] : [SentEvent(challenge, beforeSending: true)],
            };
            return await accounts.TryCommitAsync(change, cancellationToken) ? challenge : Optimistic.LostRace;
        }, cancellationToken);

        if (!issued.IsSuccess)
        {
            return issued.Error;
        }

        return code is null ? views.Of(issued.Value) : await DeliverAsync(tenant, user.DisplayName, issued.Value, code, audited: true, cancellationToken);
    }

    private Challenge NewChallenge(Tenant tenant, DirectoryUser user, ChallengePurpose purpose, Channel channel, ChallengeOffer offer,
        IReadOnlyList<RequiredAction> requiredActions, byte[]? browserTokenHash, string? code)
    {
        var now = time.GetUtcNow();
        var challenge = new Challenge
        {
            TenantId = tenant.TenantId,
            ChallengeId = ChallengeIds.New(user.UserId),
            UserId = user.UserId,
            Purpose = purpose,
            Channel = channel,
            Destination = offer.Destination,
            RequiredActions = requiredActions,
            BrowserTokenHash = browserTokenHash,
            Factors = offer.Factors,
            PreferredFactor = offer.Preferred,
            Status = ChallengeStatus.Pending,
            CreatedAt = now,
            ExpiresAt = now.AddMinutes(tenant.CodeLifetimeMinutes),
        };
        return code is null
            ? challenge
            : challenge with { CodeVersion = 1, Sends = 1, LastSentAt = now, CodeHash = hasher.Hash(challenge, 1, code) };
    }

    private AuditEvent SentEvent(Challenge challenge, bool beforeSending) =>
        new(challenge.TenantId, AuditEventType.ChallengeSent, time.GetUtcNow(), challenge.UserId, null,
            $"Code {challenge.CodeVersion} for {challenge.Purpose} challenge {challenge.ChallengeId} {(beforeSending ? "issued for sending" : "sent")} by {challenge.Channel}.");

    /// <summary>Sends a new code (the first one in manual mode, or a resend). The previous code stops working.</summary>
    public async Task<Result<ChallengeView>> SendCodeAsync(string tenantId, string challengeId, CancellationToken cancellationToken)
    {
        if (await tenants.GetAsync(tenantId, cancellationToken) is not { } tenant)
        {
            return Errors.TenantNotFound;
        }

        var resent = await Optimistic.RetryAsync<(Challenge Row, string Code)>(async () =>
        {
            var now = time.GetUtcNow();
            if (await challenges.GetAsync(tenantId, challengeId, cancellationToken) is not { } challenge)
            {
                return Errors.ChallengeNotFound;
            }

            if (ResendRefusal(challenge, now) is { } refused)
            {
                return refused;
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
            if (!await challenges.TryReplaceAsync(updated, cancellationToken))
            {
                return Optimistic.LostRace;
            }

            return (updated, code);
        }, cancellationToken);

        if (!resent.IsSuccess)
        {
            return resent.Error;
        }

        var (row, newCode) = resent.Value;
        var user = await users.GetAsync(tenantId, row.UserId, cancellationToken);
        return await DeliverAsync(tenant, user?.DisplayName, row, newCode, audited: false, cancellationToken);
    }

    /// <summary>The ordered rules a resend must pass, each answering one question; the first that refuses wins.</summary>
    private DomainError? ResendRefusal(Challenge challenge, DateTimeOffset now)
    {
        if (ChallengeViews.FinalStateError(challenge) is { } final)
        {
            return final;
        }

        if (!challenge.Factors.Contains(Factor.Code))
        {
            return SignInRules.FactorNotOnChallenge(Factor.Code);
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

        return challenge.Sends > options.MaxResendsPerChallenge
            ? new DomainError(ErrorKind.TooManyRequests, "resend_limit_reached", "No more codes can be sent for this challenge; start a new sign-in.")
            : null;
    }

    /// <param name="audited">The "sent" line was written with the challenge (a first code); a resend's is written here, once sent.</param>
    private async Task<Result<ChallengeView>> DeliverAsync(Tenant tenant, string? name, Challenge challenge, string code, bool audited, CancellationToken cancellationToken)
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

        if (!audited)
        {
            await audit.RecordAsync(SentEvent(challenge, beforeSending: false), cancellationToken);
        }

        return views.Of(challenge);
    }
}
