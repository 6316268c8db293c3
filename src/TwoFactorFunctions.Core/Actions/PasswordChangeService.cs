using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Actions;

/// <summary>
/// The UpdatePassword action (seed A's new user changes the temporary password to the policy). The portal keeps storing
/// passwords; this service checks a proposed one against the tenant's policy, and accepts "password changed" only with
/// the single-use receipt of a passing check.
/// </summary>
public sealed class PasswordChangeService(IUserStore users, RequiredActionCompletion completion, TimeProvider time)
{
    /// <summary>Long enough to store the password and call back; short enough that a leaked receipt soon goes stale.</summary>
    public static readonly TimeSpan ReceiptLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Longer inputs are refused unread (a policy's maximum is far below it).</summary>
    public const int MaxPasswordInput = 1024;

    private const int ReceiptBytes = 32;

    public async Task<Result<PasswordCheck>> CheckPasswordAsync(string tenantId, string userId, string? password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(password) || password.Length > MaxPasswordInput)
        {
            return new DomainError(ErrorKind.Invalid, "invalid_request", $"password is required (at most {MaxPasswordInput} characters).");
        }

        var loaded = await completion.LoadAsync(tenantId, userId, cancellationToken);
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
        if (string.IsNullOrEmpty(receipt))
        {
            return new DomainError(ErrorKind.Invalid, "invalid_request", "receipt (from a passing password check) is required.");
        }

        var presented = Ids.HashToken(receipt);
        return await completion.CompleteAsync(tenantId, userId, RequiredAction.UpdatePassword, mustBePending: false, (_, user, now) =>
        {
            if (!RequiredActionRules.AcceptsReceipt(user, presented, now))
            {
                return RequiredActionRules.ReceiptRequired;
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
}
