namespace TwoFactorFunctions.Core.Security;

public enum AuditEventType
{
    SettingsChanged,
    EnrolmentRunStarted,
    EnrolmentRunFinished,
    ChallengeSent,
    VerifySucceeded,
    VerifyFailed,
    AccountLockedOut,
    AccountUnlocked,
    DeviceTrusted,
    DeviceRevoked,
    ContactChanged,
    AdminReset,
    SendBlocked,
    UserTwoFactorChanged,
    RequiredActionsSet,
    PasswordChanged,
    RecoveryQuestionSet,
    RecoveryAnswerVerified,
    RecoveryAnswerFailed,
    TermsPublished,
    TermsAccepted,
    SignInPolicyChanged,
    AuthenticatorEnrolled,
    AuthenticatorRemoved,
    RecoveryCodeUsed,
    RecoveryCodesRegenerated,
    ChangeReported,
    PasskeyAdded,
    PasskeyRenamed,
    PasskeyRemoved,

    /// <summary>A passkey's signature counter went backwards: two copies of its key may exist.</summary>
    PasskeyCloneSuspected,
}

/// <summary>A security event of a tenant. Never carries codes, tokens or their hashes.</summary>
public sealed record AuditEvent(
    string TenantId,
    AuditEventType Type,
    DateTimeOffset At,
    string? UserId,
    string? ActorId,
    string Detail);

public interface IAuditLog
{
    Task RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<Storage.Page<AuditEvent>> ListAsync(string tenantId, string? continuationToken, int pageSize, CancellationToken cancellationToken);
}
