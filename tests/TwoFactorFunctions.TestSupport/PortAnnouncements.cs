using System.Globalization;
using System.Text.RegularExpressions;

namespace TwoFactorFunctions.TestSupport;

/// <summary>Collects the ports a tool started on port 0 reports in its output ("listening at http://127.0.0.1:NNNN").</summary>
internal sealed class PortAnnouncements
{
    private readonly Regex listening;
    private readonly int count;
    private readonly List<Match> matches = [];
    private readonly List<int> ports = [];
    private readonly TaskCompletionSource all = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="listening">Matches an announcement; its group "port" is the port.</param>
    /// <param name="count">How many announcements make the tool started.</param>
    public PortAnnouncements(Regex listening, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        this.listening = listening;
        this.count = count;
    }

    /// <summary>Completes once <c>count</c> announcements were seen.</summary>
    public Task All => all.Task;

    /// <summary>The announced ports; complete (and no longer changing) once <see cref="All"/> has completed.</summary>
    public IReadOnlyList<int> Ports => ports;

    public IReadOnlyList<Match> Matches
    {
        get
        {
            lock (matches)
            {
                return [.. matches];
            }
        }
    }

    /// <summary>Called with every output line of the tool.</summary>
    public void Watch(string line)
    {
        if (listening.Match(line) is not { Success: true } match)
        {
            return;
        }

        lock (matches)
        {
            if (matches.Count < count)
            {
                matches.Add(match);
                ports.Add(int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture));
            }

            if (matches.Count == count)
            {
                all.TrySetResult();
            }
        }
    }
}
