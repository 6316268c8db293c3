using Azure.Core;

namespace TwoFactorFunctions.Infrastructure.Communication;

/// <summary>
/// Pipeline options for the ACS clients. The api-versions default to what the official JS SDKs send
/// (communication-email 1.1.0, communication-sms 1.1.0, communication-call-automation 1.6.0); the contract tests
/// check that against the SDKs themselves.
/// </summary>
public sealed class AcsClientOptions : ClientOptions
{
    public const string DefaultEmailApiVersion = "2025-09-01";
    public const string DefaultSmsApiVersion = "2021-03-07";
    public const string DefaultCallAutomationApiVersion = "2026-03-12";

    public AcsClientOptions()
    {
        Retry.Mode = Azure.Core.RetryMode.Exponential;
        Retry.MaxRetries = 3;
        Retry.Delay = TimeSpan.FromMilliseconds(500);
        Retry.MaxDelay = TimeSpan.FromSeconds(8);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(30);

        // Bodies carry codes and addresses, so content logging stays off (the default); these headers are safe and
        // are what an operator needs to follow one send through retries.
        foreach (var header in new[] { "Operation-Id", "Operation-Location", "Repeatability-Request-ID", "Repeatability-First-Sent",
                     "Repeatability-Result", "Retry-After", "x-ms-error-code", "x-ms-date" })
        {
            Diagnostics.LoggedHeaderNames.Add(header);
        }

        Diagnostics.LoggedQueryParameters.Add("api-version");
    }

    public string EmailApiVersion { get; set; } = DefaultEmailApiVersion;

    public string SmsApiVersion { get; set; } = DefaultSmsApiVersion;

    public string CallAutomationApiVersion { get; set; } = DefaultCallAutomationApiVersion;
}
