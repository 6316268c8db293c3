namespace TwoFactorFunctions.Core.Factors;

/// <summary>
/// Which held factors this deployment can check at all: an authenticator's secret needs a TOTP key, a passkey a relying
/// party. A factor it cannot check is neither offered nor accepted, so a user is never sent to a dead end by it.
/// </summary>
public sealed record FactorSupport(bool Authenticator, bool Passkey)
{
    public static readonly FactorSupport All = new(true, true);
}
