namespace TwoFactorFunctions.Core.Messaging;

/// <summary>How messages present the product; operators brand it per deployment.</summary>
public sealed class MessagingOptions
{
    public string ProductName { get; set; } = "TwoFactorFunctions";

    /// <summary>Who users should contact about a message they did not expect.</summary>
    public string SupportContact { get; set; } = "your company administrator";

    /// <summary>The platform security address alerted when an enrolment run has failures.</summary>
    public string? SecurityAlertAddress { get; set; }

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(ProductName))
        {
            yield return "Messaging:ProductName is required.";
        }
    }
}
