using System.Security.Cryptography;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Factors.Passkeys;

/// <summary>Adds a passkey: the creation options (a ceremony kept server-side), then the browser's attestation.</summary>
/// <remarks>
/// Starting spends a fresh proof made with a factor the user already holds (<see cref="FactorChangeRule"/>), so a hijacked
/// portal session alone cannot add a key the attacker holds. The ceremony is single use: finishing takes it out of the
/// factor row in a conditional write before the attestation is checked, so of two finishes with one ceremony only one
/// goes on. The passkey is added in a second conditional write, the security stamp replaced (remembered devices are
/// forgotten), and the change audited and notified.
/// </remarks>
public sealed class PasskeyRegistrationService(
    UserFactorRows rows,
    IUserFactorStore factors,
    FactorChangeProofs proofs,
    IWebAuthn webAuthn,
    PasskeyChangeRecorder recorder,
    TwoFactorOptions options,
    TimeProvider time)
{
    /// <summary>WebAuthn asks for at least 16 random bytes; the user handle may be up to 64.</summary>
    private const int UserHandleBytes = 32;

    public async Task<Result<PendingPasskeyRegistration>> StartAsync(string tenantId, string userId, string? actorId, string? verifiedChallengeId,
        CancellationToken cancellationToken)
    {
        var ctx = await rows.LoadAsync(tenantId, userId, actorId, selfOnly: true, cancellationToken);
        if (!ctx.IsSuccess)
        {
            return ctx.Error;
        }

        var (tenant, user, current) = ctx.Value;
        if (PasskeyRules.RegistrationRefusal(tenant, current, webAuthn.Available) is { } refused)
        {
            return refused;
        }

        var proof = await proofs.SpendAsync(SensitiveOperation.AddPasskey, tenant, user, current, verifiedChallengeId, cancellationToken);
        if (!proof.IsSuccess)
        {
            return proof.Error;
        }

        // Before the factor row exists: the hint may be set without a row, never a row exist without the hint.
        if (!user.HasFactors && (await rows.TouchUserAsync(tenantId, userId, hasFactors: true, newStamp: false, cancellationToken)).Error is { } hintFailed)
        {
            return hintFailed;
        }

        var expiresAt = time.GetUtcNow() + options.PasskeyRegistrationLifetime;
        var account = string.IsNullOrEmpty(user.Email) ? user.UserId : user.Email;
        var display = string.IsNullOrWhiteSpace(user.DisplayName) ? account : user.DisplayName;
        var saved = await rows.UpdateAsync(tenantId, userId, f =>
        {
            if (PasskeyRules.RegistrationRefusal(tenant, f, webAuthn.Available) is { } full)
            {
                return full;
            }

            var handle = f.PasskeyUserHandle ?? RandomNumberGenerator.GetBytes(UserHandleBytes);
            var optionsJson = webAuthn.RegistrationOptions(new PasskeyAccount(handle, account, display), f.Passkeys);
            return f with { PasskeyUserHandle = handle, PendingPasskey = new PendingPasskeyRegistration(Ids.NewId(), optionsJson, expiresAt) };
        }, cancellationToken);
        return saved.IsSuccess ? saved.Value.PendingPasskey! : saved.Error;
    }

    public async Task<Result<Passkey>> FinishAsync(string tenantId, string userId, string? actorId, string? ceremonyId, string? credentialJson,
        string? name, CancellationToken cancellationToken)
    {
        var ctx = await rows.LoadAsync(tenantId, userId, actorId, selfOnly: true, cancellationToken);
        if (!ctx.IsSuccess)
        {
            return ctx.Error;
        }

        var (tenant, user, _) = ctx.Value;
        if (!webAuthn.Available)
        {
            return PasskeyRules.Unavailable;
        }

        if (string.IsNullOrEmpty(ceremonyId))
        {
            return new DomainError(ErrorKind.Invalid, "invalid_ceremony_id", "ceremonyId is required: the id the registration's start returned.");
        }

        if (string.IsNullOrEmpty(credentialJson))
        {
            return new DomainError(ErrorKind.Invalid, "invalid_passkey_credential",
                "credential is required: the browser's PublicKeyCredential.toJSON() after navigator.credentials.create().");
        }

        var ceremony = await TakeCeremonyAsync(tenantId, userId, ceremonyId, cancellationToken);
        if (!ceremony.IsSuccess)
        {
            return ceremony.Error;
        }

        var verified = await webAuthn.VerifyRegistrationAsync(ceremony.Value.OptionsJson, credentialJson, cancellationToken);
        if (!verified.IsSuccess)
        {
            return verified.Error;
        }

        var now = time.GetUtcNow();
        var credential = verified.Value;
        Passkey? added = null;
        var saved = await rows.UpdateAsync(tenantId, userId, f =>
        {
            if (PasskeyRules.RegistrationRefusal(tenant, f, webAuthn.Available) is { } refused)
            {
                return refused;
            }

            if (PasskeyRules.FindByCredentialId(f, credential.CredentialId) is not null)
            {
                return new DomainError(ErrorKind.Conflict, "passkey_already_registered", "This passkey is registered already.");
            }

            var named = PasskeyRules.Name(name, f.Passkeys.Count + 1);
            if (!named.IsSuccess)
            {
                return named.Error;
            }

            added = new Passkey
            {
                PasskeyId = Ids.NewId(),
                CredentialId = credential.CredentialId,
                PublicKey = credential.PublicKey,
                SignCount = credential.SignCount,
                Transports = credential.Transports,
                BackupEligible = credential.BackupEligible,
                BackedUp = credential.BackedUp,
                Aaguid = credential.Aaguid,
                Name = named.Value,
                CreatedAt = now,
            };
            return f with { Passkeys = [.. f.Passkeys, added] };
        }, cancellationToken);
        if (!saved.IsSuccess)
        {
            return saved.Error;
        }

        await recorder.RecordAsync(user, AuditEventType.PasskeyAdded, FactorNotice.PasskeyAdded, actorId,
            $"Passkey {added!.PasskeyId} added ({(added.BackupEligible ? "synced" : "device-bound")}); remembered devices forgotten.",
            $"{userId}.passkey-added.{added.PasskeyId}", hasFactors: null, cancellationToken);
        return added;
    }

    /// <summary>The ceremony, taken out of the row in one conditional write: a second finish with it finds nothing.</summary>
    private async Task<Result<PendingPasskeyRegistration>> TakeCeremonyAsync(string tenantId, string userId, string ceremonyId,
        CancellationToken cancellationToken) =>
        await Optimistic.RetryAsync<PendingPasskeyRegistration>(async () =>
        {
            var current = await factors.GetAsync(tenantId, userId, cancellationToken);
            if (current.PendingPasskey is not { } pending || !string.Equals(pending.CeremonyId, ceremonyId, StringComparison.Ordinal)
                || pending.ExpiresAt <= time.GetUtcNow())
            {
                return PasskeyRules.NoPendingRegistration;
            }

            return await factors.TrySaveAsync(current with { PendingPasskey = null }, cancellationToken) ? pending : Optimistic.LostRace;
        }, cancellationToken);
}
