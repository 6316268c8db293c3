using System.Collections.Frozen;

namespace TwoFactorFunctions.Core.Actions;

/// <summary>
/// Passwords attackers try first, shipped with the service (an embedded resource, one a line). Compared case
/// insensitively: "Password1" is as guessable as "password1", and the class rules would otherwise let it through.
/// </summary>
public static class CommonPasswords
{
    public const string ResourceName = "TwoFactorFunctions.Core.Actions.common-passwords.txt";

    private static readonly Lazy<FrozenSet<string>> List = new(Load);

    public static int Count => List.Value.Count;

    public static bool Contains(string password) => List.Value.Contains(password.Trim());

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(CommonPasswords).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        var words = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                words.Add(line.Trim());
            }
        }

        return words.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }
}
