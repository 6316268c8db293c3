namespace TwoFactorFunctions.Core.Factors;

/// <summary>What a user (or an admin) sees of the user's authenticator and recovery codes; never a secret or code.</summary>
public sealed record FactorStatus(
    bool AuthenticatorEnrolled,
    DateTimeOffset? AuthenticatorEnrolledAt,
    bool EnrolmentPending,
    int RecoveryCodesLeft,
    DateTimeOffset? RecoveryCodesGeneratedAt,
    bool AuthenticatorAvailable,
    FactorPolicy Policy);

/// <summary>A started enrolment: the secret is shown here once (as text and in the URI the QR code carries).</summary>
public sealed record AuthenticatorEnrolment(string Secret, string OtpAuthUri, DateTimeOffset ExpiresAt);

/// <summary>A new set of recovery codes, shown once.</summary>
public sealed record RecoveryCodeSet(IReadOnlyList<string> Codes, DateTimeOffset GeneratedAt);
