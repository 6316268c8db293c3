using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace TwoFactorFunctions.FunctionalTests.Hosting;

/// <summary>infra/ compiles and lints clean with the bicep CLI from NuGet (Azure.Bicep.CommandLine.linux-x64).</summary>
public sealed class InfraTests
{
    private static readonly string Infra = Path.Combine(HostingAzurite.RepoRoot, "infra");

    private static string BicepPath()
    {
        var path = typeof(InfraTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value;
        Assert.True(File.Exists(path), $"bicep CLI not found at {path}: `dotnet restore` the test project (it downloads Azure.Bicep.CommandLine.linux-x64).");
        return path;
    }

    private static async Task<(int ExitCode, string Output, string Errors)> BicepAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(BicepPath())
        {
            WorkingDirectory = Infra,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // No telemetry, and no reaching out for module registries or newer versions.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }

    [Fact]
    public async Task MainBicep_Build_CompilesWithoutErrorsOrWarnings()
    {
        var (exitCode, output, errors) = await BicepAsync(null, "build", "main.bicep", "--stdout");

        Assert.True(exitCode == 0, errors);
        Assert.True(errors.Trim().Length == 0, "bicep build diagnostics:\n" + errors);
        var template = JsonNode.Parse(output)!;
        // An array of resources, or an object of them by symbolic name when the template uses language version 2.0.
        var resources = template["resources"] is JsonArray array ? array.ToList() : template["resources"]!.AsObject().Select(r => r.Value).ToList();
        var types = resources.Select(r => r!["type"]!.GetValue<string>()).ToList();
        Assert.Contains("Microsoft.Web/sites", types);
        Assert.Contains("Microsoft.Storage/storageAccounts", types);
        Assert.Contains("Microsoft.Communication/communicationServices", types);
        Assert.Contains("Microsoft.KeyVault/vaults/secrets", types);
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", types);
        Assert.Contains("Microsoft.Insights/components", types);
    }

    [Fact]
    public async Task MainBicep_Lint_ReportsNothing()
    {
        var (exitCode, output, errors) = await BicepAsync(null, "lint", "main.bicep");

        Assert.True(exitCode == 0 && (output + errors).Trim().Length == 0, "bicep lint diagnostics:\n" + output + errors);
    }

    [Fact]
    public async Task MainBicepparam_BuildWithSecretsFromEnvironment_LintsAndBuildsClean()
    {
        var environment = new Dictionary<string, string>
        {
            ["TFF_CODE_HASH_SECRET"] = Convert.ToBase64String(new byte[32]),
            ["TFF_TOTP_ENCRYPTION_KEY"] = Convert.ToBase64String(new byte[32]),
            ["TFF_PORTAL_KEY_SHA256"] = Convert.ToBase64String(new byte[32]),
        };

        var lint = await BicepAsync(environment, "lint", "main.bicepparam");
        var build = await BicepAsync(environment, "build-params", "main.bicepparam", "--stdout");

        Assert.True(lint.ExitCode == 0 && (lint.Output + lint.Errors).Trim().Length == 0, "bicep lint diagnostics:\n" + lint.Output + lint.Errors);
        Assert.True(build.ExitCode == 0 && build.Errors.Trim().Length == 0, build.Errors);
    }

    [Fact]
    public void MainBicep_AppSettings_MatchWhatTheFunctionAppUses()
    {
        var bicep = File.ReadAllText(Path.Combine(Infra, "main.bicep"));

        // Identity-based storage connections (the host's, Durable's and the app's), the roles Durable's Azure Storage provider
        // needs with them, the timer's schedule setting, the task hub, the Key Vault reference, no shared keys, and the
        // .NET 10 isolated worker on Flex Consumption.
        foreach (var expected in new[]
                 {
                     "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId", "AzureWebJobsStorage__blobServiceUri",
                     "AzureWebJobsStorage__queueServiceUri", "AzureWebJobsStorage__tableServiceUri", "AZURE_CLIENT_ID",
                     "'CleanupSchedule'", "'DurableHubName'", "@Microsoft.KeyVault(SecretUri=", "allowSharedKeyAccess: false",
                     "name: 'dotnet-isolated'", "version: '10.0'", "'FlexConsumption'",
                     "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
                     "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "Authorization=AAD",
                     "DisableLocalAuth: true", "3913510d-42f4-4e42-8a64-420c390055eb",
                 })
        {
            Assert.Contains(expected, bicep, StringComparison.Ordinal);
        }

        foreach (var unexpected in new[] { "listKeys(", "AccountKey=", "customHandler", "name: 'custom'" })
        {
            Assert.DoesNotContain(unexpected, bicep, StringComparison.Ordinal);
        }
    }
}
