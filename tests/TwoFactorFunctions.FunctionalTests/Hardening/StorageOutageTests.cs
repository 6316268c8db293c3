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
[Collection("services")]
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

        var statuses = new ConcurrentBag<(HttpStatusCode Status, string? Code, bool RetryAfter)>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, users).Select(i => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var created = await portal.CreateChallengeAsync(tenant, $"u{i}");
                await Record(created);
                if (created.StatusCode == HttpStatusCode.Created)
                {
                    var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("challenge").GetProperty("challengeId").GetString()!;
                    await Record(await portal.VerifyAsync(tenant, id, "000000"));
                }

                // The account and challenge limits would otherwise end the loop long before the outage does.
                await Record(await portal.Http.PostAsync($"/api/tenants/{tenant}/users/u{i}/unlock", null));
                await Task.Delay(50);
            }
        })).ToList();

        async Task Record(HttpResponseMessage response)
        {
            string? code = null;
            if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
            {
                code = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();
            }

            statuses.Add((response.StatusCode, code, response.Headers.RetryAfter is not null));
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.OK, (await portal.Http.GetAsync("/api/health")).StatusCode);
        _azurite.Stop();
        var outage = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(2));

        // Readiness takes the instance out of rotation; liveness keeps it from being restarted for an outage it cannot fix.
        using (var ready = await portal.Http.GetAsync("/api/health"))
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
        await Task.Delay(TimeSpan.FromSeconds(8));
        await _azurite.StartAsync();
        var recovered = Stopwatch.StartNew();
        while ((await portal.Http.GetAsync("/api/health")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(recovered.Elapsed < TimeSpan.FromSeconds(15), "readiness did not recover after storage came back");
            await Task.Delay(250);
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.True(outage.Elapsed >= TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(statuses, s => (int)s.Status >= 500 && s.Status != HttpStatusCode.ServiceUnavailable);
        var unavailable = statuses.Where(s => s.Status == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(unavailable);
        Assert.All(unavailable, s =>
        {
            Assert.True(s.Code is "storage_unavailable" or "delivery_failed", s.Code);
            Assert.True(s.RetryAfter);
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
        await foreach (var c in storage.Challenges.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {tenant}")))
        {
            var status = c.GetString("Status");
            if (status == "Pending" && c.GetInt32("Sends") > 0)
            {
                Assert.NotNull(c.GetBinary("CodeHash"));
            }

            var user = c.GetString("UserId")!;
            failuresByUser[user] = failuresByUser.GetValueOrDefault(user) + (c.GetInt32("FailedAttempts") ?? 0);
        }

        await foreach (var g in storage.Guards.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {tenant}")))
        {
            Assert.True((g.GetInt32("FailedCount") ?? 0) <= failuresByUser.GetValueOrDefault(g.RowKey), $"{g.RowKey} counted more than its challenges");
        }
    }
}
