using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Actions;

public sealed record TermsOfUse(int Version, string Url, DateTimeOffset? PublishedAt);

/// <summary>What the portal needs to show the required-action screens: the password rules, the questions, the terms.</summary>
public sealed record SignInPolicy(PasswordPolicy PasswordPolicy, IReadOnlyList<RecoveryQuestion> RecoveryQuestions, TermsOfUse? Terms)
{
    public static SignInPolicy Of(Tenant tenant) => new(tenant.PasswordPolicy, tenant.EffectiveRecoveryQuestions,
        tenant.TermsVersion > 0 ? new TermsOfUse(tenant.TermsVersion, tenant.TermsUrl ?? "", tenant.TermsPublishedAt) : null);
}

/// <summary>
/// The tenant's sign-in policy, set by the portal's operator like the tenant profile: the rules and the legal text are
/// the portal's, not something a company admin should weaken.
/// </summary>
public sealed class SignInPolicyService(ITenantStore tenants, IAuditLog audit, TimeProvider time)
{
    public const int MaxTermsUrlLength = 2048;

    public async Task<Result<SignInPolicy>> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        return await tenants.GetAsync(tenantId, cancellationToken) is { } tenant ? SignInPolicy.Of(tenant) : Errors.TenantNotFound;
    }

    /// <summary>Replaces the password policy, the question list, or both; what is not given stays.</summary>
    public async Task<Result<SignInPolicy>> UpdateAsync(string tenantId, PasswordPolicy? policy, IReadOnlyList<RecoveryQuestion>? questions,
        CancellationToken cancellationToken)
    {
        if (policy is null && questions is null)
        {
            return new DomainError(ErrorKind.Invalid, "invalid_request", "Give passwordPolicy, recoveryQuestions or both.");
        }

        if (policy?.Validate() is { } policyError)
        {
            return policyError;
        }

        if (questions is not null && ValidateQuestions(questions) is { } questionError)
        {
            return questionError;
        }

        var updated = await tenants.UpdateAsync(tenantId, t => t with
        {
            PasswordPolicy = policy ?? t.PasswordPolicy,
            RecoveryQuestions = questions?.ToArray() ?? t.RecoveryQuestions,
        }, cancellationToken);
        if (!updated.IsSuccess)
        {
            return updated.Error;
        }

        var what = string.Join(" and ", new[] { policy is null ? null : "password policy", questions is null ? null : "recovery questions" }.OfType<string>());
        await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.SignInPolicyChanged, time.GetUtcNow(), null, null, $"Sign-in {what} changed."), cancellationToken);
        return SignInPolicy.Of(updated.Value);
    }

    /// <summary>A new version of the terms: every user accepts it at their next sign-in (no user row is touched).</summary>
    public async Task<Result<TermsOfUse>> PublishTermsAsync(string tenantId, string? url, CancellationToken cancellationToken)
    {
        if (url is null)
        {
            return new DomainError(ErrorKind.Invalid, "invalid_request", "url (where the portal shows the terms) is required.");
        }

        if (url.Length > MaxTermsUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return new DomainError(ErrorKind.Invalid, "invalid_terms_url", $"url must be an absolute http(s) address of at most {MaxTermsUrlLength} characters.");
        }

        var now = time.GetUtcNow();
        var updated = await tenants.UpdateAsync(tenantId, t => t with { TermsVersion = t.TermsVersion + 1, TermsUrl = url, TermsPublishedAt = now }, cancellationToken);
        if (!updated.IsSuccess)
        {
            return updated.Error;
        }

        var tenant = updated.Value;
        await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.TermsPublished, now, null, null,
            $"Terms of use version {tenant.TermsVersion} published; every user accepts them at the next sign-in."), cancellationToken);
        return new TermsOfUse(tenant.TermsVersion, url, now);
    }

    private static DomainError? ValidateQuestions(IReadOnlyList<RecoveryQuestion> questions)
    {
        var invalid = new DomainError(ErrorKind.Invalid, "invalid_recovery_questions",
            $"recoveryQuestions must hold 1-{RecoveryQuestion.MaxPerTenant} questions, each with a unique id (letters, digits, - _ . @ + ~) "
            + $"and a text of 1-{RecoveryQuestion.MaxTextLength} characters.");
        if (questions.Count is 0 or > RecoveryQuestion.MaxPerTenant
            || questions.Any(q => q is null || !Ids.IsValid(q.Id) || string.IsNullOrWhiteSpace(q.Text)
                || q.Text.Length > RecoveryQuestion.MaxTextLength || q.Text.Any(char.IsControl))
            || questions.Select(q => q.Id).Distinct(StringComparer.Ordinal).Count() != questions.Count)
        {
            return invalid;
        }

        return null;
    }
}
