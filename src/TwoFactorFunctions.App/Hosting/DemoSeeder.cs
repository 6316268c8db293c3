using TwoFactorFunctions.Api.Hosting;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Storage;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.App.Hosting;

/// <summary>
/// Development only: seeds the demo company so the README's calls work on a fresh machine. Idempotent: it upserts
/// the same tenant and users on every start and only switches 2FA on if it is off.
/// </summary>
public sealed partial class DemoSeeder(DirectoryService directory, ITenantStore tenants, TableStorage storage,
    StorageInitializer storageInitializer, ILogger<DemoSeeder> logger) : BackgroundService
{
    public const string TenantId = "demo-company";
    public const string AdminId = "admin";
    public const int UserCount = 150;

    private static readonly string[] FirstNames = ["Margaret", "Mary", "James", "Olivia", "Noah", "Ava", "Liam", "Mia", "Lucas", "Chloe"];
    private static readonly string[] LastNames = ["Collins", "Hopkins", "Nguyen", "Smith", "Brown", "Wilson", "Taylor", "Martin", "Lee", "Walker"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await storageInitializer.Ready.WaitAsync(stoppingToken);

        await directory.UpsertTenantAsync(new TenantProfileInput(TenantId, "Demo Company Pty Ltd", "AU", null, null, null, null), stoppingToken);
        await directory.ImportAsync(TenantId, Users(), stoppingToken);

        var tenant = await tenants.GetAsync(TenantId, stoppingToken);
        if (tenant is { TwoFactorEnabled: false })
        {
            await tenants.TryReplaceAsync(tenant with { TwoFactorEnabled = true, Mode = TwoFactorMode.RequiredForAll, Channel = Channel.Email }, stoppingToken);
        }

        LogSeeded(logger, TenantId, UserCount + 1, storage.Accounts.Name);
    }

    private static async IAsyncEnumerable<UserInput?> Users()
    {
        yield return new UserInput(AdminId, "Mary Hopkins", "mary.hopkins@demo.example", "+61412345678", "Admin", true);
        for (var i = 1; i <= UserCount; i++)
        {
            var first = FirstNames[i % FirstNames.Length];
            var last = LastNames[i / FirstNames.Length % LastNames.Length];
            var phone = i % 3 == 0 ? $"+614{12000000 + i:D8}" : null;
            yield return new UserInput($"user{i:D3}", $"{first} {last}", $"{first}.{last}.{i:D3}@demo.example".ToLowerInvariant(), phone, "User", i % 25 != 0);
        }

        await Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo tenant {TenantId} seeded with {Count} users in table {Table}")]
    private static partial void LogSeeded(ILogger logger, string tenantId, int count, string table);
}
