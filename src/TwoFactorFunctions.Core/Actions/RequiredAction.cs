using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Core.Actions;

/// <summary>
/// What a sign-in still needs from the user before it is complete (identity servers' "required actions"), in the order
/// the user meets them: the enum's order is the order the sign-in answers and enforces.
/// </summary>
public enum RequiredAction
{
    UpdatePassword,
    SetRecoveryQuestion,
    AcceptTerms,
}

public static class RequiredActions
{
    /// <summary>What a temporary password sets: change it, then set a recovery question (seed A's new user).</summary>
    public static readonly IReadOnlyList<RequiredAction> ForTemporaryPassword = [RequiredAction.UpdatePassword, RequiredAction.SetRecoveryQuestion];

    /// <summary>
    /// The user's pending actions in order. UpdatePassword and SetRecoveryQuestion are flags on the user; AcceptTerms is
    /// derived from the tenant's current terms version, so publishing a version needs no write to any user.
    /// </summary>
    public static IReadOnlyList<RequiredAction> Pending(Tenant tenant, DirectoryUser user)
    {
        var pending = new List<RequiredAction>(3);
        foreach (var action in Enum.GetValues<RequiredAction>())
        {
            if (action == RequiredAction.AcceptTerms ? NeedsTerms(tenant, user) : user.RequiredActions.Contains(action))
            {
                pending.Add(action);
            }
        }

        return pending;
    }

    public static bool NeedsTerms(Tenant tenant, DirectoryUser user) =>
        tenant.TermsVersion > 0 && user.AcceptedTermsVersion != tenant.TermsVersion;

    /// <summary>Stored form: the names, comma-separated, in order; unknown names (a newer version's) are kept out.</summary>
    public static string Format(IEnumerable<RequiredAction> actions) =>
        string.Join(',', actions.Distinct().Order());

    public static IReadOnlyList<RequiredAction> Parse(string? stored) =>
        string.IsNullOrEmpty(stored)
            ? []
            : stored.Split(',').Select(s => Enum.TryParse<RequiredAction>(s, out var a) && Enum.IsDefined(a) ? a : (RequiredAction?)null)
                .OfType<RequiredAction>().Distinct().Order().ToArray();
}
