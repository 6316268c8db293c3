using MailKit.Security;

namespace TwoFactorFunctions.Infrastructure.Messaging;

public sealed class SmtpOptions
{
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 1025;

    /// <summary>None for MailDev on loopback; StartTls or SslOnConnect for any real relay.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.None;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string FromAddress { get; set; } = "no-reply@twofactorfunctions.local";

    public string FromName { get; set; } = "TwoFactorFunctions";

    /// <summary>Connections kept open between sends; a fresh SMTP handshake per message would dominate bulk notices.</summary>
    public int PoolSize { get; set; } = 4;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Host) || Port is < 1 or > 65535)
        {
            yield return "Smtp:Host and Smtp:Port must name an SMTP server.";
        }

        if (string.IsNullOrWhiteSpace(FromAddress) || !FromAddress.Contains('@'))
        {
            yield return "Smtp:FromAddress must be an email address.";
        }

        if (PoolSize is < 1 or > 64)
        {
            yield return "Smtp:PoolSize must be between 1 and 64.";
        }
    }
}
