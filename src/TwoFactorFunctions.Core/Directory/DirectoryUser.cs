using TwoFactorFunctions.Core.Actions;

namespace TwoFactorFunctions.Core.Directory;

public enum UserRole
{
    User,
    Admin,
}

/// <summary>A user of a tenant as the portal syncs it, plus this service's two-factor state for the user.</summary>
public sealed record DirectoryUser
{
    public required string TenantId { get; init; }

    public required string UserId { get; init; }

    public string DisplayName { get; init; } = "";

    public string? Email { get; init; }

    /// <summary>E.164, normalised on the way in.</summary>
    public string? Phone { get; init; }

    public UserRole Role { get; init; } = UserRole.User;

    public bool Active { get; init; } = true;

    /// <summary>The user has two-factor sign-in on (enrolled by a run, or opted in and proved the channel).</summary>
    public bool TwoFactorEnabled { get; init; }

    /// <summary>The channel the user last proved; differs from the tenant's after a channel change until they verify again.</summary>
    public Channel? VerifiedChannel { get; init; }

    public DateTimeOffset? EnrolledAt { get; init; }

    /// <summary>
    /// The user may have an authenticator or recovery codes: set before their factor row is first written and cleared
    /// only after it is deleted, so it is never false while the row exists. A sign-in reads the factor row only when it
    /// is set, and costs users without one no extra storage call.
    /// </summary>
    public bool HasFactors { get; init; }

    public DateTimeOffset? FirstSignInAt { get; init; }

    /// <summary>
    /// Random value replaced whenever the user's two-factor settings or contacts change (ASP.NET Identity's idea):
    /// device trusts carry the stamp they were issued under, so a change voids them all at once.
    /// </summary>
    public string SecurityStamp { get; init; } = "";

    /// <summary>
    /// The enrolment run that last changed this user's 2FA state: a redelivered batch sees its own run here and knows
    /// the change is already made (idempotency per run and user without a separate marker row).
    /// </summary>
    public string? LastRunId { get; init; }

    /// <summary>Stored required actions (UpdatePassword, SetRecoveryQuestion); AcceptTerms is derived from the tenant.</summary>
    public IReadOnlyList<RequiredAction> RequiredActions { get; init; } = [];

    /// <summary>When the portal last reported a password change that passed the policy check.</summary>
    public DateTimeOffset? PasswordChangedAt { get; init; }

    /// <summary>
    /// SHA-256 of the single-use receipt the last passing policy check returned: the only proof that lets the portal
    /// mark the password changed. One slot per user, replaced by each passing check and cleared when spent.
    /// </summary>
    public byte[]? PasswordReceiptHash { get; init; }

    public DateTimeOffset? PasswordReceiptExpiresAt { get; init; }

    public string? RecoveryQuestionId { get; init; }

    /// <summary>PBKDF2 of the normalised answer (see <see cref="RecoveryAnswers"/>); never returned by any endpoint.</summary>
    public string? RecoveryAnswerHash { get; init; }

    public DateTimeOffset? RecoverySetAt { get; init; }

    public int? AcceptedTermsVersion { get; init; }

    public DateTimeOffset? TermsAcceptedAt { get; init; }

    /// <summary>
    /// The email this user had before a change, kept for <see cref="ContactGrace"/> so that every later factor or contact
    /// change is told to it too: whoever took over the new address cannot silence the real owner.
    /// </summary>
    public string? PreviousEmail { get; init; }

    public DateTimeOffset? PreviousEmailUntil { get; init; }

    /// <summary>As <see cref="PreviousEmail"/>, for the phone.</summary>
    public string? PreviousPhone { get; init; }

    public DateTimeOffset? PreviousPhoneUntil { get; init; }

    public string? Version { get; init; }

    /// <summary>How long a replaced contact keeps hearing about changes to the account.</summary>
    public static readonly TimeSpan ContactGrace = TimeSpan.FromDays(7);

    public string? PreviousEmailAt(DateTimeOffset now) =>
        PreviousEmailUntil > now && !string.Equals(PreviousEmail, Email, StringComparison.OrdinalIgnoreCase) ? PreviousEmail : null;

    public string? PreviousPhoneAt(DateTimeOffset now) =>
        PreviousPhoneUntil > now && PreviousPhone != Phone ? PreviousPhone : null;
}
