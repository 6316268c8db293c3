using System.ComponentModel.DataAnnotations;

namespace TwoFactorFunctions.Core.Messaging;

/// <summary>How messages present the product; operators brand it per deployment.</summary>
public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    [Required(AllowEmptyStrings = false, ErrorMessage = Section + ":ProductName is required.")]
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
}
