using System.Globalization;

namespace TwoFactorFunctions.FunctionalTests.Infrastructure;

/// <summary>MailDev (an SMTP server that keeps every message and shows it over HTTP) on free 127.0.0.1 ports.</summary>
public sealed class MailDevProcess : IDisposable
{
    public const string Host = "127.0.0.1";

    private readonly TempDirectory workspace = new("twofactor-maildev-");
    private readonly NodeProcess node;

    public MailDevProcess()
    {
        var ports = FreePort.Next(2);
        SmtpPort = ports[0];
        WebPort = ports[1];
        WebUrl = new Uri($"http://{Host}:{WebPort.ToString(CultureInfo.InvariantCulture)}/");

        string[] arguments =
        [
            "--ip", Host,
            "--smtp", SmtpPort.ToString(CultureInfo.InvariantCulture),
            // The web server has its own bind address, and it defaults to all interfaces.
            "--web-ip", Host,
            "--web", WebPort.ToString(CultureInfo.InvariantCulture),
            // Without this MailDev writes .eml files to a folder shared by every MailDev on the machine
            // (<tmp>/maildev), and "delete all" empties that folder, breaking any other instance running alongside.
            "--mail-directory", Path.Combine(workspace.Path, "mail"),
        ];

        // Nothing here may make MailDev relay mail to a real server. Relaying is off unless configured, but it can
        // also be configured through MAILDEV_* variables or a .maildevrc.json / maildev.config.* file found in the
        // working directory or any parent; so those variables are removed and the working directory is a private
        // temp folder rather than the repository.
        node = new NodeProcess(
            "MailDev",
            "maildev",
            arguments,
            ports,
            workingDirectory: workspace.Path,
            configureEnvironment: environment =>
            {
                foreach (var key in environment.Keys.Where(k => k.StartsWith("MAILDEV_", StringComparison.OrdinalIgnoreCase)).ToList())
                {
                    environment.Remove(key);
                }
            });
        Client = new MailDevClient(WebUrl);
    }

    public int SmtpPort { get; }

    public int WebPort { get; }

    /// <summary>Base URL of the web UI and REST API.</summary>
    public Uri WebUrl { get; }

    /// <summary>Reads and clears the received messages.</summary>
    public MailDevClient Client { get; }

    public bool IsRunning => node.IsRunning;

    /// <summary>Recent MailDev output, for failure messages.</summary>
    public string Output => node.Output;

    /// <summary>Creates and starts an instance, disposing it if it fails to start.</summary>
    public static async Task<MailDevProcess> StartNewAsync(CancellationToken cancellationToken = default)
    {
        var mailDev = new MailDevProcess();
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

    /// <summary>Starts MailDev and waits until SMTP and the web API accept connections.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => node.StartAsync(cancellationToken);

    /// <summary>Shuts MailDev down cleanly; <see cref="StartAsync"/> brings it back on the same ports with its mail kept.</summary>
    public void Stop(TimeSpan? gracePeriod = null) => node.Stop(gracePeriod);

    /// <summary>Kills MailDev at once, like a crash.</summary>
    public void Kill() => node.Kill();

    public void Dispose()
    {
        Client.Dispose();
        node.Dispose();
        workspace.Dispose();
    }
}
