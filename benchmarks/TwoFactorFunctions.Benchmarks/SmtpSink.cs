using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace TwoFactorFunctions.Benchmarks;

/// <summary>
/// A minimal SMTP receiver on loopback that counts messages and keeps only the newest code per recipient: benchmarks read
/// codes the way a user does (out of the delivered email) without MailDev's per-message cost dominating the figures.
/// </summary>
internal sealed partial class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _codes = new(StringComparer.OrdinalIgnoreCase);
    private readonly Task _accepting;
    private long _messages;

    public SmtpSink()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Completes when the next code for <paramref name="recipient"/> arrives (call before triggering the send).</summary>
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
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 sink ESMTP");
            string? recipient = null;
            while (await reader.ReadLineAsync() is { } line)
            {
                var verb = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-sink\r\n250 8BITMIME");
                        break;
                    case "RCPT":
                        recipient = Address().Match(line).Groups[1].Value;
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 go on");
                        var body = new StringBuilder();
                        while (await reader.ReadLineAsync() is { } data && data != ".")
                        {
                            body.AppendLine(data);
                        }

                        if (recipient is not null && Code().Match(body.ToString()) is { Success: true } m)
                        {
                            _codes.GetOrAdd(recipient, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(m.Groups[1].Value);
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
    }

    [GeneratedRegex("<([^>]+)>")]
    private static partial Regex Address();

    [GeneratedRegex(@"^\s+(\d{6})\s*$", RegexOptions.Multiline)]
    private static partial Regex Code();
}
