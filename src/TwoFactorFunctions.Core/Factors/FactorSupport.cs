namespace TwoFactorFunctions.Core.Factors;

/// <summary>
/// Which held factors this deployment can check at all: an authenticator's secret needs a TOTP key, a passkey a relying
/// party. A factor it cannot check is neither offered nor accepted, so a user is never sent to a dead end by it.
/// </summary>
public sealed record FactorSupport(bool Authenticator, bool Passkey)
{
    public static readonly FactorSupport All = new(true, true);

    /// <summary>Whether the app or passkey the user holds counts: the deployment can check it and the policy allows it.</summary>
    public bool Counts(Factor factor, UserFactors held, FactorPolicy policy) => policy.Allows(factor) && factor switch
    {
        Factor.Authenticator => Authenticator && held.HasAuthenticator,
        Factor.Passkey => Passkey && held.HasPasskey,
        _ => throw new ArgumentOutOfRangeException(nameof(factor), factor, "Only an authenticator app or a passkey is a factor held by itself."),
    };
}
