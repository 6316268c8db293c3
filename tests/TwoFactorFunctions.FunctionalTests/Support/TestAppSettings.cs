using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;

namespace TwoFactorFunctions.FunctionalTests.Support;

/// <summary>
/// The settings every test app is built from, in one place: real storage under the suite's own table prefix, real SMTP
/// without TLS, no console telemetry. Each app factory layers what its suite is about on top (<see cref="With"/>).
/// </summary>
public static class TestAppSettings
{
    public static Dictionary<string, string?> Storage(string connectionString, string prefix) => new()
    {
        ["AzureWebJobsStorage"] = connectionString,
        ["Storage:Prefix"] = prefix,
        ["Telemetry:Console"] = "false",
    };

    /// <summary>MailDev's or an <see cref="SmtpRecorder"/>'s port on the loopback, plain SMTP (test servers have no certificate).</summary>
    public static Dictionary<string, string?> Smtp(int port) => new()
    {
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = port.ToString(CultureInfo.InvariantCulture),
        ["Smtp:Security"] = "None",
    };

    /// <summary>A fresh random secret, so no two test apps can verify each other's codes.</summary>
    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary><paramref name="settings"/> with <paramref name="more"/> laid over it (a later layer wins).</summary>
    public static Dictionary<string, string?> With(this Dictionary<string, string?> settings, IEnumerable<KeyValuePair<string, string?>>? more)
    {
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    public static void ApplyTo(this IReadOnlyDictionary<string, string?> settings, IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
