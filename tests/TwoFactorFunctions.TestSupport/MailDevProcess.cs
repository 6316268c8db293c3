using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TwoFactorFunctions.TestSupport;

/// <summary>MailDev (an SMTP server that keeps every message and shows it over HTTP) on free 127.0.0.1 ports.</summary>
/// <remarks>
/// MailDev refuses port 0 ("smtp must be between 1 and 65535"), so unlike Azurite it cannot pick its own ports. The
/// ports are chosen here (the OS hands out two it is not using), and should another process take one before MailDev
/// binds it, MailDev exits with EADDRINUSE and is started again on new ports, a bounded number of times.
/// </remarks>
public sealed class MailDevProcess : IDisposable
{
    public const string Host = "127.0.0.1";

    /// <summary>How many port pairs to try; losing the race once is rare, losing it this many times means something else is wrong.</summary>
    private const int PortAttempts = 5;

    private readonly TempDirectory workspace = new("twofactor-maildev-");
    private readonly NodeProcess node;
    private readonly Func<(int Smtp, int Web)> candidatePorts;
    private (int Smtp, int Web)? ports;
    private MailDevClient? client;

    public MailDevProcess()
        : this(CandidatePorts)
    {
    }

    /// <param name="candidatePorts">Chooses the ports to try; tests hand out a taken one to prove the retry.</param>
    internal MailDevProcess(Func<(int Smtp, int Web)> candidatePorts)
    {
        this.candidatePorts = candidatePorts;
        // Nothing here may make MailDev relay mail to a real server. Relaying is off unless configured, but it can
        // also be configured through MAILDEV_* variables or a .maildevrc.json / maildev.config.* file found in the
        // working directory or any parent; so those variables are removed and the working directory is a private
        // temp folder rather than the repository.
        node = new NodeProcess(
            "MailDev",
            "maildev",
            workingDirectory: workspace.Path,
            configureEnvironment: environment =>
            {
                foreach (var key in environment.Keys.Where(k => k.StartsWith("MAILDEV_", StringComparison.OrdinalIgnoreCase)).ToList())
                {
                    environment.Remove(key);
                }
            });
    }

    public int SmtpPort => Ports.Smtp;

    public int WebPort => Ports.Web;

    /// <summary>Base URL of the web UI and REST API.</summary>
    public Uri WebUrl => new($"http://{Host}:{WebPort.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>Reads and clears the received messages.</summary>
    public MailDevClient Client => client ?? throw NotStarted();

    public bool IsRunning => node.IsRunning;

    /// <summary>Recent MailDev output, for failure messages.</summary>
    public string Output => node.Output;

    /// <summary>Creates and starts an instance, disposing it if it fails to start.</summary>
    public static Task<MailDevProcess> StartNewAsync(CancellationToken cancellationToken = default) =>
        StartNewAsync(new MailDevProcess(), cancellationToken);

    internal static async Task<MailDevProcess> StartNewAsync(MailDevProcess mailDev, CancellationToken cancellationToken = default)
    {
        try
        {
            await mailDev.StartAsync(cancellationToken).ConfigureAwait(false);
            return mailDev;
        }
        catch
        {
            mailDev.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts MailDev and waits until SMTP and the web API accept connections: the first time on new ports (retrying
    /// with others if one is taken meanwhile), after a <see cref="Stop"/> on the same ones, as callers hold them.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (ports is { } known)
        {
            await node.StartAsync(Arguments(known), [known.Smtp, known.Web], cancellationToken).ConfigureAwait(false);
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            var candidate = candidatePorts();
            try
            {
                await node.StartAsync(Arguments(candidate), [candidate.Smtp, candidate.Web], cancellationToken).ConfigureAwait(false);
                ports = candidate;
                client = new MailDevClient(WebUrl);
                return;
            }
            catch (PortInUseException) when (attempt < PortAttempts)
            {
                // Another process took a port between choosing and binding it: choose again.
            }
        }
    }

    /// <summary>Shuts MailDev down cleanly; <see cref="StartAsync"/> brings it back on the same ports with its mail kept.</summary>
    public void Stop(TimeSpan? gracePeriod = null) => node.Stop(gracePeriod);

    /// <summary>Kills MailDev at once, like a crash.</summary>
    public void Kill() => node.Kill();

    public void Dispose()
    {
        client?.Dispose();
        node.Dispose();
        workspace.Dispose();
    }

    private (int Smtp, int Web) Ports => ports ?? throw NotStarted();

    private static InvalidOperationException NotStarted() =>
        new("MailDev has not been started yet: its ports are chosen on the first start.");

    private string[] Arguments((int Smtp, int Web) chosen) =>
    [
        "--ip", Host,
        "--smtp", chosen.Smtp.ToString(CultureInfo.InvariantCulture),
        // The web server has its own bind address, and it defaults to all interfaces.
        "--web-ip", Host,
        "--web", chosen.Web.ToString(CultureInfo.InvariantCulture),
        // Without this MailDev writes .eml files to a folder shared by every MailDev on the machine
        // (<tmp>/maildev), and "delete all" empties that folder, breaking any other instance running alongside.
        "--mail-directory", Path.Combine(workspace.Path, "mail"),
    ];

    /// <summary>Two distinct ports nothing listens on right now, from the OS's ephemeral range.</summary>
    /// <remarks>
    /// Ephemeral ports never collide with the fixed dev ports (1025, 1080) used by scripts/run-dev.sh. Both listeners
    /// stay open until both ports are chosen, otherwise the OS could return the same port twice.
    /// </remarks>
    private static (int Smtp, int Web) CandidatePorts()
    {
        using var smtp = new TcpListener(IPAddress.Loopback, 0);
        using var web = new TcpListener(IPAddress.Loopback, 0);
        smtp.Start();
        web.Start();
        return (((IPEndPoint)smtp.LocalEndpoint).Port, ((IPEndPoint)web.LocalEndpoint).Port);
    }
}
