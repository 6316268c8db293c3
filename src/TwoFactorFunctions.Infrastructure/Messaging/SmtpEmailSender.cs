using System.Collections.Concurrent;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Logging;
using MimeKit;
using TwoFactorFunctions.Core.Messaging;

namespace TwoFactorFunctions.Infrastructure.Messaging;

/// <summary>Sends email over SMTP with MailKit, reusing a few authenticated connections.</summary>
public sealed partial class SmtpEmailSender(SmtpOptions options, ILogger<SmtpEmailSender> logger) : IEmailSender, IAsyncDisposable
{
    private readonly ConcurrentBag<SmtpClient> _idle = [];
    private readonly SemaphoreSlim _slots = new(options.PoolSize, options.PoolSize);

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(options.FromName, options.FromAddress));
        mime.To.Add(new MailboxAddress(message.ToName ?? "", message.To));
        mime.Subject = message.Subject;

        // Lets a receiving system recognise a retried duplicate.
        mime.MessageId = $"{message.IdempotencyKey}@{options.FromAddress[(options.FromAddress.IndexOf('@') + 1)..]}";
        if (message.FirstAttemptAt is { } first)
        {
            // A resend after a crash carries the first attempt's Date as well as its Message-Id: the same message.
            mime.Date = first;
        }

        mime.Body = new BodyBuilder { TextBody = message.PlainText, HtmlBody = message.Html }.ToMessageBody();

        await _slots.WaitAsync(cancellationToken);
        SmtpClient? client = null;
        try
        {
            client = await RentAsync(cancellationToken);
            await client.SendAsync(mime, cancellationToken);
            _idle.Add(client);
            client = null;
        }
        catch (Exception ex) when (ex is IOException or ProtocolException or CommandException or TimeoutException
                                       or System.Net.Sockets.SocketException or MailKit.Security.AuthenticationException)
        {
            // The recipient is not logged: it is personal data, and the message may be a code.
            LogSendFailed(logger, ex.GetType().Name, options.Host, options.Port);
            throw new DeliveryException("The SMTP server did not accept the message.", ex);
        }
        finally
        {
            client?.Dispose();
            _slots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var client))
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync(quit: true);
            }

            client.Dispose();
        }

        _slots.Dispose();
    }

    private async Task<SmtpClient> RentAsync(CancellationToken cancellationToken)
    {
        while (_idle.TryTake(out var pooled))
        {
            if (pooled.IsConnected)
            {
                try
                {
                    // An idle connection may have been closed by the server; NOOP finds out cheaply.
                    await pooled.NoOpAsync(cancellationToken);
                    return pooled;
                }
                catch (Exception ex) when (ex is IOException or ProtocolException or CommandException)
                {
                }
            }

            pooled.Dispose();
        }

        var client = new SmtpClient { Timeout = (int)options.Timeout.TotalMilliseconds };
        await client.ConnectAsync(options.Host, options.Port, options.Security, cancellationToken);
        if (!string.IsNullOrEmpty(options.UserName))
        {
            await client.AuthenticateAsync(options.UserName, options.Password ?? "", cancellationToken);
        }

        return client;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP send failed ({ErrorType}) via {Host}:{Port}")]
    private static partial void LogSendFailed(ILogger logger, string errorType, string host, int port);
}
