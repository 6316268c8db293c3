using System.Text;

namespace TwoFactorFunctions.TestSupport;

/// <summary>Keeps the most recent output lines of a child process, up to a character budget.</summary>
/// <remarks>
/// The output is only wanted to explain a failure, while the tools live for the whole test run; keeping all of it
/// would grow without limit, and the tail is what explains a crash.
/// </remarks>
internal sealed class BoundedLog(int maxChars)
{
    private readonly Queue<string> lines = new();
    private readonly Lock gate = new();
    private int chars;
    private int dropped;

    public void Append(string line)
    {
        lock (gate)
        {
            lines.Enqueue(line);
            chars += line.Length;
            while (chars > maxChars && lines.Count > 1)
            {
                chars -= lines.Dequeue().Length;
                dropped++;
            }
        }
    }

    public override string ToString()
    {
        lock (gate)
        {
            var text = new StringBuilder();
            if (dropped > 0)
            {
                text.Append("... (").Append(dropped).AppendLine(" earlier lines dropped)");
            }

            foreach (var line in lines)
            {
                text.AppendLine(line);
            }

            return text.ToString();
        }
    }
}
