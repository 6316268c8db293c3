using System.Net;
using System.Net.Sockets;

namespace TwoFactorFunctions.FunctionalTests.Infrastructure;

/// <summary>Picks TCP ports on 127.0.0.1 that nothing is listening on right now.</summary>
public static class FreePort
{
    /// <summary>One free port.</summary>
    public static int Next() => Next(1)[0];

    /// <summary><paramref name="count"/> distinct free ports.</summary>
    /// <remarks>
    /// The OS hands out the ports (bind to port 0), so they come from the ephemeral range and never collide with the
    /// fixed dev ports (10000-10002, 1025, 1080) used by scripts/run-dev.sh. All listeners stay open until every port
    /// is chosen, otherwise the OS could return the same port twice. There is an unavoidable window between closing
    /// the listener and the tool binding the port; NodeProcess detects a port that is taken by someone else.
    /// </remarks>
    public static int[] Next(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listeners.Add(listener);
                listener.Start();
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Dispose();
            }
        }
    }
}
