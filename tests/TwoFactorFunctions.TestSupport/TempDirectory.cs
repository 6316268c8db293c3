namespace TwoFactorFunctions.TestSupport;

/// <summary>A private scratch folder for one tool instance, removed on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix) => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Leftover scratch files in the temp folder are harmless; failing a test run over them is not.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
