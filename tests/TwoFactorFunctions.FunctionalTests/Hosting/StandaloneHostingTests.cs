using Microsoft.Extensions.DependencyInjection;
using TwoFactorFunctions.Core.Devices;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.FunctionalTests.Hosting;

/// <summary>Standalone, the app runs the cleanup on its own schedule (the function app has a timer function for it).</summary>
[Collection(HostingGroup.Name)]
public sealed class StandaloneHostingTests(HostingAzurite azurite)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task CleanupSchedule_Standalone_RunsWhenTheInjectedClockReachesTheInterval()
    {
        await using var app = new HostingAppFactory(azurite, settings: new Dictionary<string, string?> { ["Cleanup:Interval"] = "00:05:00" });
        _ = app.Services;
        await app.ReadyAsync();
        var devices = app.Services.GetRequiredService<IDeviceTrustStore>();
        var start = app.Time.GetUtcNow();
        await devices.InsertAsync(NewDevice("short-lived", start.AddDays(-2), start.AddMinutes(-1)), CancellationToken.None);
        await devices.InsertAsync(NewDevice("long-lived", start, start.AddDays(30)), CancellationToken.None);

        // The clock has not moved: no run yet, however long we wait in real time.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.NotNull(await devices.GetAsync("tenant-a", "user-1", "short-lived", CancellationToken.None));

        await Eventually(async () =>
        {
            app.Time.Advance(TimeSpan.FromMinutes(5));
            return await devices.GetAsync("tenant-a", "user-1", "short-lived", CancellationToken.None) is null;
        });
        Assert.NotNull(await devices.GetAsync("tenant-a", "user-1", "long-lived", CancellationToken.None));
    }

    internal static DeviceTrust NewDevice(string id, DateTimeOffset createdAt, DateTimeOffset expiresAt) => new()
    {
        TenantId = "tenant-a",
        UserId = "user-1",
        DeviceId = id,
        SecretHash = new byte[32],
        CreatedAt = createdAt,
        ExpiresAt = expiresAt,
        UserSecurityStamp = "stamp",
    };

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(100);
        }
    }
}
