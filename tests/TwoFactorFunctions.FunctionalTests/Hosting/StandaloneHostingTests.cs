using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TwoFactorFunctions.Core.Storage;
using TwoFactorFunctions.Infrastructure.Queues;

namespace TwoFactorFunctions.FunctionalTests.Hosting;

/// <summary>Standalone, the app runs its own queue listener and cleanup schedule; under the Functions host it must not.</summary>
[Collection(HostingGroup.Name)]
public sealed class StandaloneHostingTests(HostingAzurite azurite)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static void AddTestHandlers(IServiceCollection s)
    {
        s.AddSingleton<RecordingQueueHandler>();
        s.AddSingleton<IQueueHandler>(sp => sp.GetRequiredService<RecordingQueueHandler>());
        s.AddSingleton<ThrowingQueueHandler>();
        s.AddSingleton<IQueueHandler>(sp => sp.GetRequiredService<ThrowingQueueHandler>());
    }

    [Fact]
    public async Task InvocationEndpoint_Standalone_NeedsAFunctionKey()
    {
        await using var app = new HostingAppFactory(azurite, services: AddTestHandlers);
        using var client = app.CreateClient();
        await app.ReadyAsync();
        var payload = new JsonObject { ["Data"] = new JsonObject { ["message"] = "hello" }, ["Metadata"] = new JsonObject { ["DequeueCount"] = 1, ["Id"] = "m1" } };

        var withoutKey = await client.PostAsJsonAsync("/" + RecordingQueueHandler.Name, payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + RecordingQueueHandler.Name) { Content = JsonContent.Create(payload) };
        request.Headers.Add("x-functions-key", HostingAppFactory.DevFunctionKey);
        var withKey = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
        Assert.Single(app.Services.GetRequiredService<RecordingQueueHandler>().Deliveries);
    }

    [Fact]
    public async Task QueueListener_Standalone_DeliversMessageAndDeletesIt()
    {
        await using var app = new HostingAppFactory(azurite, services: AddTestHandlers);
        _ = app.Services;
        var queue = app.Queues.Get("test-recorder");
        await queue.CreateIfNotExistsAsync();

        await queue.SendMessageAsync("{\"hello\":\"world\"}");

        var recorder = app.Services.GetRequiredService<RecordingQueueHandler>();
        await Eventually(() => Task.FromResult(recorder.Deliveries.Count == 1));
        var delivery = Assert.Single(recorder.Deliveries);
        Assert.Equal("{\"hello\":\"world\"}", delivery.MessageText);
        Assert.Equal(1, delivery.DequeueCount);
        await Eventually(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0);
    }

    [Fact]
    public async Task QueueListener_HandlerKeepsFailing_MessageMovedToPoisonQueueAfterMaxDequeueCount()
    {
        await using var app = new HostingAppFactory(azurite, services: AddTestHandlers, settings: new Dictionary<string, string?>
        {
            ["Queues:MaxDequeueCount"] = "2",
            ["Queues:VisibilityTimeout"] = "00:00:00",
        });
        _ = app.Services;
        var queue = app.Queues.Get("test-thrower");
        var poison = app.Queues.PoisonOf("test-thrower");
        await queue.CreateIfNotExistsAsync();

        await queue.SendMessageAsync("doomed");

        await Eventually(async () => await poison.ExistsAsync() && (await poison.PeekMessagesAsync()).Value.Length == 1);
        Assert.Equal("doomed", (await poison.PeekMessagesAsync()).Value[0].Body.ToString());
        Assert.Equal(2, app.Services.GetRequiredService<ThrowingQueueHandler>().Calls);
        Assert.Empty((await queue.PeekMessagesAsync()).Value);
    }

    [Fact]
    public async Task CleanupSchedule_Standalone_RunsWhenTheInjectedClockReachesTheInterval()
    {
        await using var app = new HostingAppFactory(azurite, settings: new Dictionary<string, string?> { ["Cleanup:Interval"] = "00:05:00" });
        _ = app.Services;
        await app.ReadyAsync();
        var devices = app.Services.GetRequiredService<IDeviceTrustStore>();
        var start = app.Time.GetUtcNow();
        await devices.InsertAsync(InvocationTests.NewDevice("short-lived", start.AddDays(-2), start.AddMinutes(-1)), CancellationToken.None);
        await devices.InsertAsync(InvocationTests.NewDevice("long-lived", start, start.AddDays(30)), CancellationToken.None);

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

    [Fact]
    public async Task UnderFunctionsHost_OwnQueueListenerAndScheduleAreOff()
    {
        await using var app = new HostingAppFactory(azurite, underFunctionsHost: true, services: AddTestHandlers);
        _ = app.Services;
        await app.ReadyAsync();
        var queue = app.Queues.Get("test-recorder");
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync("for the host only");
        var devices = app.Services.GetRequiredService<IDeviceTrustStore>();
        var start = app.Time.GetUtcNow();
        await devices.InsertAsync(InvocationTests.NewDevice("expired", start.AddDays(-2), start.AddMinutes(-1)), CancellationToken.None);

        for (var i = 0; i < 10; i++)
        {
            app.Time.Advance(TimeSpan.FromMinutes(5));
            await Task.Delay(200);
        }

        Assert.Empty(app.Services.GetRequiredService<RecordingQueueHandler>().Deliveries);
        Assert.Single((await queue.PeekMessagesAsync()).Value);
        Assert.NotNull(await devices.GetAsync("tenant-a", "user-1", "expired", CancellationToken.None));
    }

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
