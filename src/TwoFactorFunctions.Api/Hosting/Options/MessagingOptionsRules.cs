using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Infrastructure.Communication;

namespace TwoFactorFunctions.Api.Hosting.Options;

public sealed class MessagingOptionsRules : OptionsRules<MessagingOptions>
{
    public override IEnumerable<string> Check(MessagingOptions options)
    {
        if (options.ChangeReportUrl is { IsAbsoluteUri: false } || options.ChangeReportUrl is { Scheme: not ("https" or "http") })
        {
            yield return $"{MessagingOptions.Section}:ChangeReportUrl must be an absolute http(s) URL.";
        }
    }
}

public sealed class MessageProviderOptionsRules(IHostEnvironment environment) : OptionsRules<MessageProviderOptions>
{
    public override IEnumerable<string> Check(MessageProviderOptions options)
    {
        if (options.PhoneProvider == PhoneProvider.DevOutbox && !environment.IsDevelopment())
        {
            yield return $"{MessageProviderOptions.Section}:PhoneProvider=DevOutbox stores codes in plain text and is allowed only in Development.";
        }
    }
}

/// <summary>What ACS needs depends on what it sends: nothing when unused, a sender for email, numbers and callbacks for phone.</summary>
public sealed class AcsOptionsRules(MessageProviders providers) : OptionsRules<AcsOptions>
{
    private const string Section = AcsOptions.Section;

    public override IEnumerable<string> Check(AcsOptions options)
    {
        if (!providers.EmailUsesAcs && !providers.PhoneUsesAcs)
        {
            return [];
        }

        var failures = Connection(options).ToList();
        if (providers.EmailUsesAcs && (string.IsNullOrWhiteSpace(options.EmailSender) || !options.EmailSender.Contains('@', StringComparison.Ordinal)))
        {
            failures.Add($"{Section}:EmailSender must be a verified sender address of the ACS email domain.");
        }

        if (providers.PhoneUsesAcs)
        {
            failures.AddRange(Phone(options));
        }

        return failures;
    }

    private static IEnumerable<string> Connection(AcsOptions options)
    {
        var hasConnectionString = !string.IsNullOrWhiteSpace(options.ConnectionString);
        if (hasConnectionString == (options.Endpoint is not null))
        {
            yield return $"Acs needs exactly one of {Section}:ConnectionString (access key) or {Section}:Endpoint (managed identity).";
        }
        else if (hasConnectionString && !AcsConnectionString.TryParse(options.ConnectionString, out _))
        {
            // Never the value itself: it holds the access key.
            yield return $"{Section}:ConnectionString must look like endpoint=https://<resource>.communication.azure.com/;accesskey=<base64>.";
        }
        else if (options.Endpoint is { } endpoint && (!endpoint.IsAbsoluteUri || endpoint.Scheme != Uri.UriSchemeHttps))
        {
            yield return $"{Section}:Endpoint must be the resource's https address.";
        }
    }

    private static IEnumerable<string> Phone(AcsOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.SmsFrom))
        {
            yield return $"{Section}:SmsFrom must be the SMS-enabled number (E.164) of the resource.";
        }

        if (string.IsNullOrWhiteSpace(options.CallerId) || !options.CallerId.StartsWith('+'))
        {
            yield return $"{Section}:CallerId must be the voice-enabled number (E.164) of the resource.";
        }

        if (options.CallbackBaseUri is not { IsAbsoluteUri: true } callback || (callback.Scheme != Uri.UriSchemeHttps && !callback.IsLoopback))
        {
            yield return $"{Section}:CallbackBaseUri must be the app's public https address (Call Automation posts call events there).";
        }

        if (options.CognitiveServicesEndpoint is not { IsAbsoluteUri: true })
        {
            yield return $"{Section}:CognitiveServicesEndpoint must be the Azure AI services resource connected to ACS (needed for text-to-speech).";
        }

        if (string.IsNullOrWhiteSpace(options.ImmutableResourceId))
        {
            yield return $"{Section}:ImmutableResourceId is required: callbacks are accepted only with a JWT for this audience.";
        }

        if (string.IsNullOrWhiteSpace(options.VoiceName))
        {
            yield return $"{Section}:VoiceName must name a text-to-speech voice.";
        }
    }
}
