namespace TwoFactorFunctions.App.DemoPortal;

/// <summary>The demo portal (<c>DemoPortal</c> section): Development only, next to the API.</summary>
public sealed class DemoPortalOptions
{
    public const string Section = "DemoPortal";

    public bool Enabled { get; set; }

    /// <summary>Every demo user's password: the demo portal stands in for the portal's own password check.</summary>
    public string Password { get; set; } = "";

    /// <summary>Where the page sends API calls; another origin than the page's exercises CORS as a real portal would.</summary>
    public string ApiBase { get; set; } = "";

    public string MailDevUrl { get; set; } = "http://127.0.0.1:1080";
}
