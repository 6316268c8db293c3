namespace TwoFactorFunctions.Infrastructure.WebAuthn;

/// <summary>
/// The WebAuthn relying party: the portal's, not this API's — the browser binds every passkey to the site the user sees
/// and signs the origin it was used on. Unset <see cref="RelyingPartyId"/>: passkeys are unavailable.
/// </summary>
public sealed class PasskeyOptions
{
    public const string Section = "TwoFactor:Passkeys";

    /// <summary>
    /// The RP ID: the portal's host name or a registrable parent of it ("portal.example.com" or "example.com"), never
    /// an IP address (browsers refuse one). A passkey works on every origin under it; changing it strands every passkey.
    /// </summary>
    public string? RelyingPartyId { get; set; }

    /// <summary>The name the browser's dialog shows.</summary>
    public string RelyingPartyName { get; set; } = "TwoFactorFunctions";

    /// <summary>
    /// The portal origins an assertion may come from (https outside Development). Each must be the RP ID or a
    /// subdomain of it; a portal family on unrelated domains lists them here and serves Related Origin Requests
    /// (<c>/.well-known/webauthn</c> on the RP ID's site, see the README).
    /// </summary>
    public IList<string> Origins { get; set; } = [];

    public bool Configured => !string.IsNullOrWhiteSpace(RelyingPartyId);
}
