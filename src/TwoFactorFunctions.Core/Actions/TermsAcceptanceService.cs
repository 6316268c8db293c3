using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Security;

namespace TwoFactorFunctions.Core.Actions;

/// <summary>The AcceptTerms action: the user accepts the tenant's current terms of use, the version they were shown.</summary>
public sealed class TermsAcceptanceService(RequiredActionCompletion completion)
{
    public async Task<Result<RequiredActionStatus>> AcceptTermsAsync(string tenantId, string userId, int? version, CancellationToken cancellationToken)
    {
        if (version is not { } shown)
        {
            return new DomainError(ErrorKind.Invalid, "invalid_request", "version (the terms version the user was shown) is required.");
        }

        return await completion.CompleteAsync(tenantId, userId, RequiredAction.AcceptTerms, mustBePending: true, (tenant, user, now) =>
            RequiredActionRules.TermsRefusal(tenant, shown) is { } outdated
                ? outdated
                : user with { AcceptedTermsVersion = shown, TermsAcceptedAt = now },
            AuditEventType.TermsAccepted, $"Terms of use version {shown} accepted.", cancellationToken);
    }
}
