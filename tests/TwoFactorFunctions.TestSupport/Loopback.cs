using System.Net;
using System.Net.Sockets;

namespace TwoFactorFunctions.TestSupport;

/// <summary>127.0.0.1, where every server the tests and benchmarks start listens.</summary>
public static class Loopback
{
    public const string Host = "127.0.0.1";

    /// <summary>Whether something accepts TCP connections on the port now (a one-second attempt).</summary>
    public static async Task<bool> AcceptsConnectionsAsync(int port, CancellationToken cancellationToken = default)
    {
        using var client = new TcpClient(AddressFamily.InterNetwork);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, attempt.Token).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
