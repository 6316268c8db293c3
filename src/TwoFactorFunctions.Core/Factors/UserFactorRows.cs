using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Factors;

/// <summary>
/// The reads and writes every authenticator change shares: the account and its factor row, the conditional write of the
/// factor row, the user row's factor hint and security stamp, and a new set of recovery codes.
/// </summary>
public sealed class UserFactorRows(
    Accounts.AccountLoader accounts,
    IUserStore users,
    IUserFactorStore factors,
    TotpSecretProtector protector,
    RecoveryCodes recoveryCodes,
    TimeProvider time)
{
    /// <summary>
    /// The user-row side of a factor change: the factor hint (set before a factor row is first written, cleared after it
    /// is deleted) and a new security stamp, which voids every remembered device of the user.
    /// </summary>
    public async Task<(DirectoryUser? User, DomainError? Error)> TouchUserAsync(string tenantId, string userId, bool? hasFactors, bool newStamp,
        CancellationToken cancellationToken)
    {
        var saved = await users.UpdateAsync(tenantId, userId, u => (hasFactors is null || u.HasFactors == hasFactors) && !newStamp
            ? u
            : u with { HasFactors = hasFactors ?? u.HasFactors, SecurityStamp = newStamp ? Ids.NewId() : u.SecurityStamp }, cancellationToken);
        return saved.IsSuccess ? (saved.Value, null) : (null, saved.Error);
    }

    public FactorStatus Status(Tenant tenant, UserFactors f) =>
        AuthenticatorRules.Status(tenant, f, protector.Available, time.GetUtcNow());

    /// <summary>Why no authenticator can be enrolled or confirmed here, or null.</summary>
    public DomainError? EnrolmentRefusal(Tenant tenant) => AuthenticatorRules.EnrolmentRefusal(tenant, protector.Available);

    /// <summary>A new set of recovery codes: the codes to show once, their keyed hashes to store, and the set's id.</summary>
    public (IReadOnlyList<string> Codes, IReadOnlyList<byte[]?> Hashes, string SetId) NewRecoverySet(string tenantId, string userId)
    {
        var setId = Ids.NewId();
        var codes = Enumerable.Range(0, RecoveryCodes.SetSize).Select(_ => RecoveryCodes.NewCode()).ToArray();
        var hashes = codes.Select(c => (byte[]?)recoveryCodes.Hash(tenantId, userId, setId, RecoveryCodes.Normalise(c)!)).ToArray();
        return (codes, hashes, setId);
    }

    public async Task<Result<UserFactors>> UpdateAsync(string tenantId, string userId, Func<UserFactors, Result<UserFactors>> change, CancellationToken cancellationToken)
    {
        return await Optimistic.RetryAsync<UserFactors>(async () =>
        {
            var current = await factors.GetAsync(tenantId, userId, cancellationToken);
            var updated = change(current);
            if (!updated.IsSuccess)
            {
                return updated;
            }

            if (await factors.TrySaveAsync(updated.Value, cancellationToken))
            {
                return updated;
            }

            return Optimistic.LostRace;
        }, cancellationToken);
    }

    /// <summary>The account preamble, then the user's factor row (read only when the user row's hint says there is one).</summary>
    public async Task<Result<(Tenant Tenant, DirectoryUser User, UserFactors Factors)>> LoadAsync(string tenantId, string userId, string? actorId,
        bool selfOnly, CancellationToken cancellationToken)
    {
        var account = await accounts.LoadAsync(tenantId, userId, actorId, selfOnly, cancellationToken);
        if (!account.IsSuccess)
        {
            return account.Error;
        }

        var (tenant, user) = account.Value;
        return (tenant, user, await factors.OfAsync(user, cancellationToken));
    }
}
