using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using TwoFactorFunctions.FunctionalTests.Infrastructure;
using TwoFactorFunctions.FunctionalTests.Support;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.FunctionalTests.Hardening;

/// <summary>Storage goes away for 10 s under load: clean 503s, nothing half-written, and recovery without a restart.</summary>
[Collection(ServicesGroup.Name)]
public sealed class StorageOutageTests(TestServices services) : IAsyncLifetime, IDisposable
{
    private readonly AzuriteProcess _azurite = new(keepDataAcrossRestarts: true);
    private TwoFactorAppFactory _app = null!;

    public async Task InitializeAsync()
    {
        await _azurite.StartAsync();
        _app = new TwoFactorAppFactory(services, "tffoutage", new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = _azurite.ConnectionString,
            ["AzureClients:Retry:NetworkTimeout"] = "00:00:02",
            ["AzureClients:Retry:MaxRetries"] = "1",
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _azurite.Dispose();
    }

    public void Dispose()
    {
        _app.Dispose();
        _azurite.Dispose();
    }

    [Fact]
    public async Task Api_StorageDownForTenSeconds_Answers503ThenRecoversWithoutRestart()
    {
        var portal = new PortalApi(_app);
        var tenant = PortalApi.NewTenantId("outage");
        await portal.CreateTenantAsync(tenant);
        const int users = 8;
        for (var i = 0; i < users; i++)
        {
            await portal.CreateUserAsync(tenant, $"u{i}");
        }

        // Every answer with when its request was sent and when the answer came, on one clock with the outage's edges.
        var clock = Stopwatch.StartNew();
        var statuses = new ConcurrentBag<Answer>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, users).Select(i => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var sent = clock.Elapsed;
                var created = await portal.CreateChallengeAsync(tenant, $"u{i}");
                await Record(created, sent);
                if (created.StatusCode == HttpStatusCode.Created)
                {
                    var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("challenge").GetProperty("challengeId").GetString()!;
                    sent = clock.Elapsed;
                    await Record(await portal.VerifyAsync(tenant, id, "000000"), sent);
                }

                // The account and challenge limits would otherwise end the loop long before the outage does.
                sent = clock.Elapsed;
                await Record(await portal.Http.PostAsync($"/api/tenants/{tenant}/users/u{i}/unlock", null), sent);
                await Task.Delay(50);
            }
        })).ToList();

        async Task Record(HttpResponseMessage response, TimeSpan sent)
        {
            string? code = null;
            if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
            {
                code = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();
            }

            statuses.Add(new Answer(response.StatusCode, code, response.Headers.RetryAfter is not null, sent, clock.Elapsed));
        }

        async Task WaitUntil(Func<Task<bool>> condition, TimeSpan within, string what)
        {
            var deadline = clock.Elapsed + within;
            while (!await condition())
            {
                Assert.True(clock.Elapsed < deadline, what);
                await Task.Delay(100);
            }
        }

        // The load is running and succeeding before storage goes away.
        await WaitUntil(() => Task.FromResult(statuses.Count(a => a.Succeeded) >= users), TimeSpan.FromSeconds(30), "the load did not succeed before the outage");
        Assert.Equal(HttpStatusCode.OK, (await portal.Http.GetAsync("/api/health")).StatusCode);
        var outageStarted = clock.Elapsed;
        _azurite.Stop();

        // Readiness takes the instance out of rotation; liveness keeps it from being restarted for an outage it cannot fix.
        HttpResponseMessage ready = null!;
        await WaitUntil(async () =>
        {
            ready = await portal.Http.GetAsync("/api/health");
            return ready.StatusCode != HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(15), "readiness kept answering 200 with storage down");
        using (ready)
        {
            var problem = await PortalApi.ProblemAsync(ready);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal("not_ready", problem.GetProperty("code").GetString());
            Assert.NotNull(ready.Headers.RetryAfter);
            var checks = problem.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("state").GetString());
            Assert.Equal("Unhealthy", checks["storage"]);
            Assert.Equal("Unhealthy", checks["taskhub"]);
        }

        Assert.Equal(HttpStatusCode.OK, (await portal.Http.GetAsync("/api/health/live")).StatusCode);

        // The scenario: storage stays away for ten seconds while the load goes on (a duration, not a wait for something).
        var remaining = TimeSpan.FromSeconds(10) - (clock.Elapsed - outageStarted);
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining);
        }

        await _azurite.StartAsync();
        await WaitUntil(async () => (await portal.Http.GetAsync("/api/health")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(15), "readiness did not recover after storage came back");
        var recovered = clock.Elapsed;

        // The same app instance serves the load again: every user's loop succeeds with requests sent after recovery.
        await WaitUntil(() => Task.FromResult(statuses.Count(a => a.Succeeded && a.Sent > recovered) >= users),
            TimeSpan.FromSeconds(15), "the load did not succeed again after the outage");
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.DoesNotContain(statuses, s => (int)s.Status >= 500 && s.Status != HttpStatusCode.ServiceUnavailable);
        var unavailable = statuses.Where(s => s.Status == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(unavailable);
        Assert.All(unavailable, s =>
        {
            Assert.True(s.Code is "storage_unavailable" or "delivery_failed", s.Code);
            Assert.True(s.RetryAfter);

            // A 503 is the outage's: its request was in flight at some point between storage stopping and recovering.
            Assert.True(s.Answered >= outageStarted && s.Sent <= recovered,
                $"503 for a request sent at {s.Sent} and answered at {s.Answered}, outside the outage {outageStarted}..{recovered}");
        });

        // After the outage, without restarting the app: the whole loop works again.
        await portal.Http.PostAsync($"/api/tenants/{tenant}/users/u0/unlock", null);
        var email = $"fresh.{tenant}@example.test";
        await portal.CreateUserAsync(tenant, "fresh", email);
        var fresh = await portal.CreateChallengeIdAsync(tenant, "fresh");
        Assert.Equal(HttpStatusCode.OK, (await portal.VerifyAsync(tenant, fresh, await portal.ReadCodeAsync(email))).StatusCode);

        // Nothing half-written: every challenge that says a code was sent has its code hash, and no account counted
        // more failures than its challenges did.
        var storage = _app.Services.GetRequiredService<TableStorage>();
        var failuresByUser = new Dictionary<string, int>();
        var rows = storage.Accounts.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {tenant}"));
        var guards = new List<TableEntity>();
        await foreach (var c in rows)
        {
            if (c.RowKey.EndsWith("!g", StringComparison.Ordinal))
            {
                guards.Add(c);
            }

            if (!c.RowKey.Contains("!c!", StringComparison.Ordinal))
            {
                continue;
            }

            var status = c.GetString("Status");
            if (status == "Pending" && c.GetInt32("Sends") > 0)
            {
                Assert.NotNull(c.GetBinary("CodeHash"));
            }

            var user = c.GetString("UserId")!;
            failuresByUser[user] = failuresByUser.GetValueOrDefault(user) + (c.GetInt32("FailedAttempts") ?? 0);
        }

        Assert.NotEmpty(guards);
        foreach (var g in guards)
        {
            var user = g.RowKey[..^2];
            Assert.True((g.GetInt32("FailedCount") ?? 0) <= failuresByUser.GetValueOrDefault(user), $"{user} counted more than its challenges");
        }
    }

    private sealed record Answer(HttpStatusCode Status, string? Code, bool RetryAfter, TimeSpan Sent, TimeSpan Answered)
    {
        public bool Succeeded => (int)Status is >= 200 and < 300;
    }
}
