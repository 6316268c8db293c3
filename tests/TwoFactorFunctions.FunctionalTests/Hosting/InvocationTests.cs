using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Devices;
using TwoFactorFunctions.Core.Storage;
using TwoFactorFunctions.Infrastructure.Queues;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.FunctionalTests.Hosting;

/// <summary>The custom-handler contract: the host's POST /{FunctionName} with {Data, Metadata}, answered with {Outputs, Logs, ReturnValue}.</summary>
[Collection(HostingGroup.Name)]
public sealed class InvocationTests(HostingAzurite azurite) : IAsyncLifetime, IDisposable
{
    private HostingAppFactory _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = new HostingAppFactory(azurite, underFunctionsHost: true, services: s =>
        {
            s.AddSingleton<RecordingQueueHandler>();
            s.AddSingleton<IQueueHandler>(sp => sp.GetRequiredService<RecordingQueueHandler>());
            s.AddSingleton<ThrowingQueueHandler>();
            s.AddSingleton<IQueueHandler>(sp => sp.GetRequiredService<ThrowingQueueHandler>());
        });
        _client = _app.CreateClient();
        await _app.ReadyAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    /// <summary>The host's queue-trigger payload, as documented (message as a JSON string).</summary>
    private static JsonObject QueuePayload(JsonNode message, int dequeueCount, string id) => new()
    {
        ["Data"] = new JsonObject { ["message"] = message },
        ["Metadata"] = new JsonObject
        {
            ["DequeueCount"] = dequeueCount,
            ["ExpirationTime"] = "2026-03-08T12:30:00+00:00",
            ["Id"] = id,
            ["InsertionTime"] = "2026-03-01T12:29:58+00:00",
            ["NextVisibleTime"] = "2026-03-01T12:40:00+00:00",
            ["PopReceipt"] = "AgAAAAMAAAAAAAAA",
            ["sys"] = new JsonObject
            {
                ["MethodName"] = RecordingQueueHandler.Name,
                ["UtcNow"] = "2026-03-01T12:30:00Z",
                ["RandGuid"] = "0f8fad5b-d9cb-469f-a165-70867728950e",
            },
        },
    };

    [Fact]
    public async Task QueueInvocation_StringMessage_HandlerDoesWorkAndAnswersInvocationResult()
    {
        var response = await _client.PostAsJsonAsync("/" + RecordingQueueHandler.Name, QueuePayload("plain text message", 3, "msg-1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(["Outputs", "Logs", "ReturnValue"], body.Select(p => p.Key));
        Assert.Empty(body["Outputs"]!.AsObject());
        Assert.NotEmpty(body["Logs"]!.AsArray());
        Assert.Null(body["ReturnValue"]);

        var delivery = Assert.Single(_app.Services.GetRequiredService<RecordingQueueHandler>().Deliveries);
        Assert.Equal("plain text message", delivery.MessageText);
        Assert.Equal(3, delivery.DequeueCount);
        Assert.Equal("msg-1", delivery.MessageId);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 29, 58, TimeSpan.Zero), delivery.InsertedOn);

        var row = await _app.Tables.Runs.GetEntityAsync<Azure.Data.Tables.TableEntity>("queue-test", "msg-1");
        Assert.Equal("plain text message", row.Value.GetString("Text"));
        Assert.Equal(3, row.Value.GetInt64("DequeueCount"));
    }

    [Fact]
    public async Task QueueInvocation_JsonObjectMessage_HandlerGetsTheJsonText()
    {
        // The host may hand a JSON message over parsed (as an object) rather than as a string.
        var message = new JsonObject { ["runId"] = "run-1", ["batch"] = 7 };

        var response = await _client.PostAsJsonAsync("/" + RecordingQueueHandler.Name, QueuePayload(message, 1, "msg-2"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var delivery = Assert.Single(_app.Services.GetRequiredService<RecordingQueueHandler>().Deliveries);
        using var parsed = JsonDocument.Parse(delivery.MessageText);
        Assert.Equal("run-1", parsed.RootElement.GetProperty("runId").GetString());
        Assert.Equal(7, parsed.RootElement.GetProperty("batch").GetInt32());
    }

    [Fact]
    public async Task QueueInvocation_JsonMessageAsString_PassedThroughVerbatim()
    {
        const string text = "{\"runId\":\"run-2\",\"batch\":1}";

        var response = await _client.PostAsJsonAsync("/" + RecordingQueueHandler.Name, QueuePayload(text, 2, "msg-3"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(text, Assert.Single(_app.Services.GetRequiredService<RecordingQueueHandler>().Deliveries).MessageText);
    }

    [Fact]
    public async Task QueueInvocation_HandlerThrows_Answers500WithoutDetailsSoTheHostRetries()
    {
        var response = await _client.PostAsJsonAsync("/" + ThrowingQueueHandler.Name, QueuePayload("boom", 5, "msg-4"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(ThrowingQueueHandler.SecretDetail, text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
        Assert.Equal("function_failed", JsonNode.Parse(text)!["code"]!.GetValue<string>());
        Assert.Equal(1, _app.Services.GetRequiredService<ThrowingQueueHandler>().Calls);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"Metadata\":{}}")]
    [InlineData("{\"Data\":{\"other\":\"x\"},\"Metadata\":{}}")]
    [InlineData("{\"Data\":{\"message\":null},\"Metadata\":{}}")]
    public async Task QueueInvocation_MalformedPayload_Answers400AndDoesNotRunHandler(string payload)
    {
        var response = await _client.PostAsync("/" + RecordingQueueHandler.Name, new StringContent(payload, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_app.Services.GetRequiredService<RecordingQueueHandler>().Deliveries);
    }

    [Fact]
    public async Task Invocation_UnregisteredFunctionName_Answers404()
    {
        var response = await _client.PostAsJsonAsync("/NoSuchFunction", QueuePayload("x", 1, "msg-5"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task TimerInvocation_PastDue_DeletesExpiredChallengesAndDevicesAndKeepsLiveOnes()
    {
        var challenges = _app.Services.GetRequiredService<IChallengeStore>();
        var devices = _app.Services.GetRequiredService<IDeviceTrustStore>();
        var start = _app.Time.GetUtcNow();

        await challenges.InsertAsync(NewChallenge("old-challenge", start), CancellationToken.None);
        await devices.InsertAsync(NewDevice("old-device", start, start.AddHours(1)), CancellationToken.None);

        // Three hours on: the first two have expired; these two are new.
        _app.Time.Advance(TimeSpan.FromHours(3));
        var now = _app.Time.GetUtcNow();
        await challenges.InsertAsync(NewChallenge("new-challenge", now), CancellationToken.None);
        await devices.InsertAsync(NewDevice("new-device", now, now.AddDays(30)), CancellationToken.None);

        var payload = new JsonObject
        {
            ["Data"] = new JsonObject
            {
                ["timer"] = new JsonObject
                {
                    ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
                    ["ScheduleStatus"] = new JsonObject
                    {
                        ["Last"] = "2026-03-01T15:20:00+00:00",
                        ["Next"] = "2026-03-01T15:25:00+00:00",
                        ["LastUpdated"] = "2026-03-01T15:20:00+00:00",
                    },
                    ["IsPastDue"] = true,
                },
            },
            ["Metadata"] = new JsonObject
            {
                ["sys"] = new JsonObject { ["MethodName"] = "CleanupExpired", ["UtcNow"] = "2026-03-01T15:30:00Z", ["RandGuid"] = Guid.NewGuid().ToString() },
            },
        };

        var response = await _client.PostAsJsonAsync("/CleanupExpired", payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var logs = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["Logs"]!.AsArray();
        Assert.Contains("removed 2 expired entries", logs[0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("past due", logs[0]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Null(await challenges.GetAsync("tenant-a", "old-challenge", CancellationToken.None));
        Assert.Null(await devices.GetAsync("tenant-a", "user-1", "old-device", CancellationToken.None));
        Assert.NotNull(await challenges.GetAsync("tenant-a", "new-challenge", CancellationToken.None));
        Assert.NotNull(await devices.GetAsync("tenant-a", "user-1", "new-device", CancellationToken.None));

        // The index holds only the live rows' entries now.
        var index = await _app.Tables.Expiry.QueryAsync<Azure.Data.Tables.TableEntity>().ToListAsync();
        Assert.Equal(2, index.Count);
        Assert.All(index, e => Assert.True(string.CompareOrdinal(e.PartitionKey, ExpiryIndex.Bucket(now)) >= 0));
    }

    [Fact]
    public async Task TimerInvocation_MissingTimerBinding_Answers400()
    {
        var response = await _client.PostAsJsonAsync("/CleanupExpired", new JsonObject { ["Data"] = new JsonObject(), ["Metadata"] = new JsonObject() });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    internal static Challenge NewChallenge(string id, DateTimeOffset createdAt) => new()
    {
        TenantId = "tenant-a",
        ChallengeId = id,
        UserId = "user-1",
        Destination = "user-1@example.test",
        CreatedAt = createdAt,
        ExpiresAt = createdAt.AddMinutes(10),
    };

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
}
