namespace TwoFactorFunctions.Infrastructure.Communication;

/// <summary>
/// The ACS resource and what we send from it (configuration section <c>Acs</c>). Authentication is either
/// <see cref="ConnectionString"/> (access key, HMAC) or <see cref="Endpoint"/> with the app's TokenCredential.
/// </summary>
public sealed class AcsOptions
{
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
    public TimeSpan PendingCallLifetime { get; set; } = TimeSpan.FromMinutes(10);

    public string EmailApiVersion { get; set; } = AcsClientOptions.DefaultEmailApiVersion;

    public string SmsApiVersion { get; set; } = AcsClientOptions.DefaultSmsApiVersion;

    public string CallAutomationApiVersion { get; set; } = AcsClientOptions.DefaultCallAutomationApiVersion;

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

    public IEnumerable<string> Validate(bool email, bool phone)
    {
        if (!email && !phone)
        {
            yield break;
        }

        var hasConnectionString = !string.IsNullOrWhiteSpace(ConnectionString);
        if (hasConnectionString == (Endpoint is not null))
        {
            yield return "Acs needs exactly one of Acs:ConnectionString (access key) or Acs:Endpoint (managed identity).";
        }
        else if (hasConnectionString && !AcsConnectionString.TryParse(ConnectionString, out _))
        {
            yield return "Acs:ConnectionString must look like endpoint=https://<resource>.communication.azure.com/;accesskey=<base64>.";
        }
        else if (Endpoint is { } endpoint && (!endpoint.IsAbsoluteUri || endpoint.Scheme != Uri.UriSchemeHttps))
        {
            yield return "Acs:Endpoint must be the resource's https address.";
        }

        if (email && (string.IsNullOrWhiteSpace(EmailSender) || !EmailSender.Contains('@', StringComparison.Ordinal)))
        {
            yield return "Acs:EmailSender must be a verified sender address of the ACS email domain.";
        }

        if (phone)
        {
            if (string.IsNullOrWhiteSpace(SmsFrom))
            {
                yield return "Acs:SmsFrom must be the SMS-enabled number (E.164) of the resource.";
            }

            if (string.IsNullOrWhiteSpace(CallerId) || !CallerId.StartsWith('+'))
            {
                yield return "Acs:CallerId must be the voice-enabled number (E.164) of the resource.";
            }

            if (CallbackBaseUri is not { IsAbsoluteUri: true } callback
                || (callback.Scheme != Uri.UriSchemeHttps && !callback.IsLoopback))
            {
                yield return "Acs:CallbackBaseUri must be the app's public https address (Call Automation posts call events there).";
            }

            if (CognitiveServicesEndpoint is not { IsAbsoluteUri: true })
            {
                yield return "Acs:CognitiveServicesEndpoint must be the Azure AI services resource connected to ACS (needed for text-to-speech).";
            }

            if (string.IsNullOrWhiteSpace(ImmutableResourceId))
            {
                yield return "Acs:ImmutableResourceId is required: callbacks are accepted only with a JWT for this audience.";
            }

            if (string.IsNullOrWhiteSpace(VoiceName))
            {
                yield return "Acs:VoiceName must name a text-to-speech voice.";
            }

            if (PendingCallLifetime <= TimeSpan.Zero || PendingCallLifetime > TimeSpan.FromMinutes(30))
            {
                yield return "Acs:PendingCallLifetime must be between 0 and 30 minutes.";
            }
        }

        if (MaxRetries is < 0 or > 10)
        {
            yield return "Acs:MaxRetries must be between 0 and 10.";
        }
    }
}
