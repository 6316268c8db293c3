using System.ComponentModel.DataAnnotations;
using TwoFactorFunctions.Core.Common;

namespace TwoFactorFunctions.Infrastructure.Communication;

/// <summary>
/// The ACS resource and what we send from it (configuration section <c>Acs</c>). Authentication is either
/// <see cref="ConnectionString"/> (access key, HMAC) or <see cref="Endpoint"/> with the app's TokenCredential.
/// </summary>
public sealed class AcsOptions
{
    public const string Section = "Acs";
    public const string DefaultOpenIdConfiguration = "https://acscallautomation.communication.azure.com/calling/.well-known/acsopenidconfiguration";
    public const string DefaultCallbackIssuer = "https://acscallautomation.communication.azure.com";

    /// <summary>
    /// Where Call Automation posts its events, relative to <see cref="CallbackBaseUri"/>: declared here, where the address
    /// given to ACS is built, and mapped by the API from this same constant so the two cannot drift apart.
    /// </summary>
    public const string CallbackRoute = "api/acs/callbacks";

    public string? ConnectionString { get; set; }

    public Uri? Endpoint { get; set; }

    /// <summary>The verified sender address of the email domain connected to the resource (DoNotReply@...).</summary>
    public string? EmailSender { get; set; }

    /// <summary>An SMS-enabled number (E.164) or alphanumeric sender id of the resource.</summary>
    public string? SmsFrom { get; set; }

    /// <summary>The voice-enabled number (E.164) calls come from.</summary>
    public string? CallerId { get; set; }

    /// <summary>Public HTTPS base address of this app; Call Automation posts events to {base}/<see cref="CallbackRoute"/>.</summary>
    public Uri? CallbackBaseUri { get; set; }

    /// <summary>The Azure AI services resource connected to ACS; text-to-speech needs it.</summary>
    public Uri? CognitiveServicesEndpoint { get; set; }

    /// <summary>Neural voice for the spoken code.</summary>
    public string VoiceName { get; set; } = "en-US-JennyNeural";

    /// <summary>The resource's immutable id: the audience of the JWT on every Call Automation callback.</summary>
    public string? ImmutableResourceId { get; set; }

    public Uri OpenIdConfigurationUri { get; set; } = new(DefaultOpenIdConfiguration);

    public string CallbackIssuer { get; set; } = DefaultCallbackIssuer;

    /// <summary>How long a placed call may take to connect before its text is no longer played.</summary>
    [SettingRange(typeof(TimeSpan), SettingRules.Positive, "00:30:00", ErrorMessage = Section + ":PendingCallLifetime must be between 0 and 30 minutes.")]
    public TimeSpan PendingCallLifetime { get; set; } = TimeSpan.FromMinutes(10);

    public string EmailApiVersion { get; set; } = AcsClientOptions.DefaultEmailApiVersion;

    public string SmsApiVersion { get; set; } = AcsClientOptions.DefaultSmsApiVersion;

    public string CallAutomationApiVersion { get; set; } = AcsClientOptions.DefaultCallAutomationApiVersion;

    [SettingRange(0, 10, ErrorMessage = Section + ":MaxRetries must be between {1} and {2}.")]
    public int MaxRetries { get; set; } = 3;

    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>{CallbackBaseUri}/<see cref="CallbackRoute"/>; a base with a path keeps it (https://host/app → https://host/app/api/...).</summary>
    public Uri CallbackUri => new(new Uri(CallbackBaseUri!.AbsoluteUri.TrimEnd('/') + "/"), CallbackRoute);

    public AcsClientOptions ClientOptions()
    {
        var options = new AcsClientOptions
        {
            EmailApiVersion = EmailApiVersion,
            SmsApiVersion = SmsApiVersion,
            CallAutomationApiVersion = CallAutomationApiVersion,
        };
        options.Retry.MaxRetries = MaxRetries;
        options.Retry.NetworkTimeout = NetworkTimeout;
        return options;
    }
}
