namespace TwoFactorFunctions.Core.Messaging;

/// <summary>How messages present the product; operators brand it per deployment.</summary>
public sealed class MessagingOptions
{
    public string ProductName { get; set; } = "TwoFactorFunctions";

    /// <summary>Who users should contact about a message they did not expect.</summary>
    public string SupportContact { get; set; } = "your company administrator";

    /// <summary>The platform security address alerted when an enrolment run has failures.</summary>
    public string? SecurityAlertAddress { get; set; }

    /// <summary>
    /// The portal's "this wasn't me" page: change notices link to it with the tenant, user and report token, and the
    /// portal's server posts them to the change-reports endpoint. Without it, notices give the token as a reference.
    /// </summary>
    public Uri? ChangeReportUrl { get; set; }

    public IEnumerable<string> Validate()
    {
        if (ChangeReportUrl is { IsAbsoluteUri: false } || ChangeReportUrl is { Scheme: not ("https" or "http") })
        {
            yield return "Messaging:ChangeReportUrl must be an absolute http(s) URL.";
        }

        if (string.IsNullOrWhiteSpace(ProductName))
        {
            yield return "Messaging:ProductName is required.";
        }
    }
}
