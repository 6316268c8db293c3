using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace TwoFactorFunctions.TestSupport;

/// <summary>One message as <see cref="SmtpRecorder"/> keeps it: the envelope recipient and the headers a test checks.</summary>
public sealed record RecordedMail(string To, string? MessageId, string? Subject, string? Date);

/// <summary>
/// A real SMTP server on a loopback port it binds itself (port 0), keeping only each message's recipient and headers,
/// a count, and the newest code per recipient. For runs of tens of thousands of messages (functional tests and
/// benchmarks), where MailDev (which keeps and serves every whole message) would be what is measured; MailDev stays
/// the sink wherever a test reads bodies.
/// </summary>
public sealed partial class SmtpRecorder : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<RecordedMail> _mail = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _codes = new(StringComparer.OrdinalIgnoreCase);
    private readonly bool _keepMail;
    private readonly Task _accepting;
    private long _messages;

    /// <param name="keepMail">
    /// False keeps no <see cref="Mail"/> list, only <see cref="Messages"/> and the codes: benchmarks send millions.
    /// </param>
    public SmtpRecorder(bool keepMail = true)
    {
        _keepMail = keepMail;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Every message accepted so far, one entry per recipient (empty when not keeping mail).</summary>
    public IReadOnlyList<RecordedMail> Mail => [.. _mail];

    /// <summary>How many messages (DATA commands) were accepted so far.</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Completes when the next code for <paramref name="recipient"/> arrives (call before triggering the send).</summary>
    /// <remarks>Benchmarks read codes the way a user does: out of the delivered email.</remarks>
    public Task<string> NextCodeAsync(string recipient) =>
        _codes.AddOrUpdate(recipient, _ => new(TaskCreationOptions.RunContinuationsAsynchronously),
            (_, old) => old.Task.IsCompleted ? new(TaskCreationOptions.RunContinuationsAsynchronously) : old).Task;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await ConverseAsync(client.GetStream());
            }
            catch (IOException)
            {
                // The sender went away mid-conversation (a killed app process): whatever it had not finished is not a message.
            }
        }
    }

    private async Task ConverseAsync(NetworkStream stream)
    {
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 recorder ESMTP");
        var recipients = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            var verb = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await writer.WriteLineAsync("250-recorder\r\n250 8BITMIME");
                    break;
                case "MAIL":
                    recipients.Clear();
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "RCPT":
                    recipients.Add(Address().Match(line).Groups[1].Value);
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 go on");
                    var (headers, body) = await ReadMessageAsync(reader);

                    // Recorded before the reply: once the sender has its 250 the message counts as delivered.
                    foreach (var to in recipients)
                    {
                        if (_keepMail)
                        {
                            _mail.Enqueue(new RecordedMail(to, headers.GetValueOrDefault("message-id")?.Trim('<', '>'),
                                headers.GetValueOrDefault("subject"), headers.GetValueOrDefault("date")));
                        }

                        if (Code().Match(body) is { Success: true } code)
                        {
                            _codes.GetOrAdd(to, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(code.Groups[1].Value);
                        }
                    }

                    Interlocked.Increment(ref _messages);

                    await writer.WriteLineAsync("250 queued");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 bye");
                    return;
                default:
                    await writer.WriteLineAsync("250 OK");
                    break;
            }
        }
    }

    /// <summary>Reads the message to its final ".", returning the (unfolded) headers by lower-case name and the whole text.</summary>
    private static async Task<(Dictionary<string, string> Headers, string Text)> ReadMessageAsync(StreamReader reader)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        var text = new StringBuilder();
        var inHeaders = true;
        string? last = null;
        while (await reader.ReadLineAsync() is { } data && data != ".")
        {
            text.AppendLine(data);
            if (!inHeaders)
            {
                continue;
            }

            if (data.Length == 0)
            {
                inHeaders = false;
            }
            else if (data[0] is ' ' or '\t' && last is not null)
            {
                headers[last] += " " + data.Trim();
            }
            else if (data.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon)
            {
                last = data[..colon].Trim().ToLowerInvariant();
                headers[last] = data[(colon + 1)..].Trim();
            }
        }

        return (headers, text.ToString());
    }

    [GeneratedRegex("<([^>]+)>")]
    private static partial Regex Address();

    /// <summary>A code on a line of its own, indented, as the app's code emails put it.</summary>
    [GeneratedRegex(@"^\s+(\d{6})\s*$", RegexOptions.Multiline)]
    private static partial Regex Code();
}
