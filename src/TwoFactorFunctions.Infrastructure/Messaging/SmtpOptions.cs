using System.ComponentModel.DataAnnotations;
using MailKit.Security;
using TwoFactorFunctions.Core.Common;

namespace TwoFactorFunctions.Infrastructure.Messaging;

public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    [Required(AllowEmptyStrings = false, ErrorMessage = Section + ":Host must name an SMTP server.")]
    public string Host { get; set; } = "127.0.0.1";

    [SettingRange(1, 65535, ErrorMessage = Section + ":Port must be between {1} and {2}.")]
    public int Port { get; set; } = 1025;

    /// <summary>None for MailDev on loopback; StartTls or SslOnConnect for any real relay.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.None;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    [Required(AllowEmptyStrings = false, ErrorMessage = Section + ":FromAddress is required.")]
    [EmailAddress(ErrorMessage = Section + ":FromAddress must be an email address.")]
    public string FromAddress { get; set; } = "no-reply@twofactorfunctions.local";

    public string FromName { get; set; } = "TwoFactorFunctions";

    /// <summary>Connections kept open between sends; a fresh SMTP handshake per message would dominate bulk notices.</summary>
    [SettingRange(1, 64, ErrorMessage = Section + ":PoolSize must be between {1} and {2}.")]
    public int PoolSize { get; set; } = 4;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
