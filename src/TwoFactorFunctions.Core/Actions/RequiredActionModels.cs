using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Core.Actions;

/// <summary>A policy check of a proposed password; a passing one carries the single-use receipt that marks it changed.</summary>
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
