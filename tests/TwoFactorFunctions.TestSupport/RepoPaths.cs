using System.Text.Json;

namespace TwoFactorFunctions.TestSupport;

/// <summary>Locates the repository checkout the tests run from.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> root = new(() => FindRoot(AppContext.BaseDirectory));

    /// <summary>The repository root (the folder holding package.json and TwoFactorFunctions.sln).</summary>
    public static string Root => root.Value;

    /// <summary>The npm install folder holding Azurite and MailDev.</summary>
    public static string NodeModules => Path.Combine(Root, "node_modules");

    /// <summary>Full path of the script behind an npm package's "bin" entry in the repository's node_modules.</summary>
    /// <remarks>Read from the package's own package.json, so an upgrade that moves the script keeps working.</remarks>
    public static string NodeEntryScript(string packageName, string? binName = null)
    {
        var packageDirectory = Path.Combine(NodeModules, packageName);
        var manifestPath = Path.Combine(packageDirectory, "package.json");
        if (!File.Exists(manifestPath))
        {
            throw new FileNotFoundException(
                $"npm package '{packageName}' is not installed in {NodeModules}. Run 'npm ci' at the "
                + "repository root (building the functional tests does this when node_modules is missing).",
                manifestPath);
        }

        using var manifest = JsonDocument.Parse(File.ReadAllText(manifestPath));
        string? relativePath = null;
        if (manifest.RootElement.TryGetProperty("bin", out var bin))
        {
            if (bin.ValueKind == JsonValueKind.String)
            {
                relativePath = bin.GetString();
            }
            else if (bin.ValueKind == JsonValueKind.Object && bin.TryGetProperty(binName ?? packageName, out var entry))
            {
                relativePath = entry.GetString();
            }
        }

        return relativePath is null
            ? throw new InvalidOperationException($"{manifestPath} declares no \"bin\" entry '{binName ?? packageName}'.")
            : Path.GetFullPath(Path.Combine(packageDirectory, relativePath));
    }

    /// <summary>Walks up from <paramref name="start"/> to the first folder that looks like the repository root.</summary>
    public static string FindRoot(string start)
    {
        // Both markers are required: bin/ output folders and nested projects can contain one of them alone.
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "package.json"))
                && File.Exists(Path.Combine(dir.FullName, "TwoFactorFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException(
            $"No folder containing both package.json and TwoFactorFunctions.sln was found above '{start}'. "
            + "The functional tests must run from a build inside the repository checkout.");
    }
}
