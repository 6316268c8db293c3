using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace TwoFactorFunctions.FunctionalTests.Support;

/// <summary>
/// Every secret a test saw (codes, device tokens, keys) and every log line any app instance wrote, for one scan at the
/// end of the run: no secret may appear in any log.
/// </summary>
public static class SecretScan
{
    private static readonly ConcurrentDictionary<string, byte> Secrets = new();
    private static readonly ConcurrentBag<CapturedLogs> Sinks = [];

    public static void Saw(string? secret)
    {
        if (!string.IsNullOrEmpty(secret))
        {
            Secrets.TryAdd(secret, 0);
        }
    }

    /// <summary>
    /// A password or recovery answer: as typed, and as the service normalises answers before hashing (lower case, runs
    /// of white space collapsed), so a leak of either form is caught. Short values are left out: a test's deliberately
    /// too-short input ("x") is no secret and would match ordinary words in log lines.
    /// </summary>
    public static void SawPasswordOrAnswer(string? secret)
    {
        if (string.IsNullOrWhiteSpace(secret) || secret.Trim().Length < 6)
        {
            return;
        }

        Saw(secret);
        var normalised = string.Join(' ', secret.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
        if (normalised.Length >= 8)
        {
            Saw(normalised);
        }
    }

    /// <summary>
    /// An authenticator secret as the user sees it (base32), its raw bytes as base64 and hex (the forms a careless log
    /// line would take), and the otpauth URI that carries it.
    /// </summary>
    public static void SawTotpSecret(string base32, string? otpAuthUri = null)
    {
        Saw(base32);
        var raw = OtpNet.Base32Encoding.ToBytes(base32);
        Saw(Convert.ToBase64String(raw));
        Saw(Convert.ToHexString(raw));
        Saw(Convert.ToHexString(raw).ToLowerInvariant());
        Saw(otpAuthUri);
    }

    /// <summary>A recovery code as shown (xxxxx-xxxxx) and as the service normalises it before hashing.</summary>
    public static void SawRecoveryCode(string code)
    {
        Saw(code);
        Saw(code.Replace("-", "", StringComparison.Ordinal));
    }

    public static void Track(CapturedLogs logs) => Sinks.Add(logs);

    /// <summary>The log lines that contain a seen secret as a whole token (a code inside a longer number does not count).</summary>
    public static IReadOnlyList<string> Leaks()
    {
        var lines = Sinks.SelectMany(s => s.Lines).ToList();
        var leaks = new List<string>();
        foreach (var secret in Secrets.Keys)
        {
            var pattern = new Regex($@"(?<![\w.-]){Regex.Escape(secret)}(?![\w-])", RegexOptions.CultureInvariant);
            leaks.AddRange(lines.Where(l => l.Contains(secret, StringComparison.Ordinal) && pattern.IsMatch(l)).Select(l => $"{secret}: {l}"));
        }

        return leaks;
    }

    public static int SecretCount => Secrets.Count;

    public static int LineCount => Sinks.Sum(s => s.Lines.Count);
}
