namespace TwoFactorFunctions.Core.Security;

/// <summary>
/// Per-account counters that outlive any one challenge: failed guesses (lockout) and challenges issued (rate limit).
/// Kept apart from the challenge so that a new challenge or a resend can never reset them.
/// </summary>
public sealed record AccountGuard
{
    public required string TenantId { get; init; }

    public required string UserId { get; init; }

    public int FailedCount { get; init; }

    public DateTimeOffset? FailureWindowStart { get; init; }

    public DateTimeOffset? LockedUntil { get; init; }

    public int IssuedCount { get; init; }

    public DateTimeOffset? IssueWindowStart { get; init; }

    /// <summary>Null when the row does not exist yet: the first save is then an insert that fails if another request won.</summary>
    public string? Version { get; init; }

    public bool IsLocked(DateTimeOffset now) => LockedUntil is { } until && until > now;
}
