namespace TwoFactorFunctions.FunctionalTests.Infrastructure;

/// <summary>Locates the repository checkout the tests run from.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> root = new(() => FindRoot(AppContext.BaseDirectory));

    /// <summary>The repository root (the folder holding package.json and TwoFactorFunctions.sln).</summary>
    public static string Root => root.Value;

    /// <summary>The npm install folder holding Azurite and MailDev.</summary>
    public static string NodeModules => Path.Combine(Root, "node_modules");

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
