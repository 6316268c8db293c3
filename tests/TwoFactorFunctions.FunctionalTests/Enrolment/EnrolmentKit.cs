using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.FunctionalTests.Infrastructure;
using TwoFactorFunctions.FunctionalTests.Support;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.FunctionalTests.Enrolment;

/// <summary>A user to seed; the email is made unique per test by <see cref="EnrolmentKit.Address"/>.</summary>
public sealed record SeedUser(string UserId, string DisplayName, string? Email, string? Phone = null, bool Active = true,
    UserRole Role = UserRole.User, bool TwoFactorEnabled = false);

/// <summary>The real app in-process (test server) against the shared Azurite and MailDev, with its own prefix and mail domain.</summary>
public sealed class EnrolmentAppFactory(
    TestServices services,
    IReadOnlyDictionary<string, string?>? settings = null,
    Action<IServiceCollection>? configureServices = null) : WebApplicationFactory<Program>
{
    public string Prefix { get; } = EnrolmentKit.NewPrefix();

    public string MailDomain => $"{Prefix}.example";

    public string SecurityAddress => $"security@{MailDomain}";

    public TableStorage Tables => Services.GetRequiredService<TableStorage>();

    public HttpClient Api()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("x-functions-key", EnrolmentKit.DevFunctionKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        EnrolmentKit.AppSettings(services.StorageConnectionString, Prefix, services.MailDev.SmtpPort, SecurityAddress)
            .With(settings)
            .ApplyTo(builder);

        if (configureServices is not null)
        {
            builder.ConfigureTestServices(configureServices);
        }
    }
}

public static class EnrolmentKit
{
    public const string DevFunctionKey = "dev-function-key";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static string NewPrefix() => "e" + string.Concat(Guid.NewGuid().ToString("N").Where(char.IsAsciiLetterLower).Concat("abcdefghij").Take(9));

    /// <summary>Settings for a test app: its own task hub, fast polling and retries, a quick notice rate, claims that run out in seconds.</summary>
    public static Dictionary<string, string?> AppSettings(string connectionString, string prefix, int smtpPort, string securityAddress) =>
        TestAppSettings.Storage(connectionString, prefix).With(TestAppSettings.Smtp(smtpPort)).With(new Dictionary<string, string?>
            {
                ["Demo:Seed"] = "false",
                ["Smtp:PoolSize"] = "8",
                ["Messaging:SecurityAlertAddress"] = securityAddress,
                ["DurableHubName"] = prefix + "hub",
                ["Durable:MaxQueuePollingInterval"] = "00:00:00.200",
                ["Durable:VisibilityTimeout"] = "00:00:10",
                ["Enrolment:StepRetryDelay"] = "00:00:00.200",
                ["Notices:MaxPerSecond"] = "5000",
                ["Notices:Burst"] = "500",
                ["Notices:RetryDelay"] = "00:00:00.500",
                ["Enrolment:ClaimTimeout"] = "00:00:05",
                ["Cleanup:Enabled"] = "false",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:TwoFactorFunctions"] = "Information",
            });

    public static string Address(string userId, string domain) => $"{userId}@{domain}";

    /// <summary>Writes the tenant and its users straight to the tables (100 users per transaction), as the portal's sync would.</summary>
    public static async Task SeedAsync(TableStorage tables, string tenantId, IEnumerable<SeedUser> users, Channel channel = Channel.Email,
        bool enabled = false, TwoFactorMode mode = TwoFactorMode.RequiredForAll)
    {
        await Task.WhenAll(tables.All.Select(t => t.CreateIfNotExistsAsync()));
        var tenant = new Tenant { TenantId = tenantId, DisplayName = "Test Company", DefaultRegion = "AU", Channel = channel, TwoFactorEnabled = enabled, Mode = mode };
        await tables.Tenants.UpsertEntityAsync(TableTenantStore.ToEntity(tenant), TableUpdateMode.Replace);

        var entities = users.Select(u => TableUserStore.ToEntity(new DirectoryUser
        {
            TenantId = tenantId,
            UserId = u.UserId,
            DisplayName = u.DisplayName,
            Email = u.Email,
            Phone = u.Phone,
            Active = u.Active,
            Role = u.Role,
            TwoFactorEnabled = u.TwoFactorEnabled,
            SecurityStamp = Guid.NewGuid().ToString("N"),
        }));
        await Parallel.ForEachAsync(entities.Chunk(100), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (chunk, ct) =>
            await tables.Accounts.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), ct));
    }

    /// <summary>An admin plus <paramref name="count"/> - 1 ordinary users, all active with an email in <paramref name="domain"/>.</summary>
    public static List<SeedUser> Company(int count, string domain, string adminId = "admin")
    {
        var users = new List<SeedUser> { new(adminId, "Mary Hopkins", Address(adminId, domain), "+61412345678", Role: UserRole.Admin) };
        for (var i = 1; i < count; i++)
        {
            var id = $"u{i:D6}";
            users.Add(new SeedUser(id, $"User {i}", Address(id, domain), i % 2 == 0 ? $"+614{12000000 + i:D8}" : null));
        }

        return users;
    }

    public static TableStorage TablesFor(string connectionString, string prefix) =>
        new(new TableServiceClient(connectionString), new StorageOptions { Prefix = prefix });

    public static HttpRequestMessage AsActor(this HttpRequestMessage request, string actorId)
    {
        request.Headers.Add("X-Actor-Id", actorId);
        return request;
    }

    public static Task<HttpResponseMessage> PutSettingsAsync(this HttpClient client, string tenantId, string actorId, object body) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/api/tenants/{tenantId}/two-factor") { Content = JsonContent.Create(body) }.AsActor(actorId));

    public static async Task<EnrolmentRunStatus> GetRunAsync(this HttpClient client, string tenantId, string actorId, string runId)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/tenants/{tenantId}/enrolment-runs/{runId}").AsActor(actorId));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<EnrolmentRunStatus>(Json))!;
    }

    /// <summary>Starts a run with PUT and returns its id (asserting the 202 and its Location).</summary>
    public static async Task<string> StartRunAsync(this HttpClient client, string tenantId, string actorId, object body)
    {
        using var response = await client.PutSettingsAsync(tenantId, actorId, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        var runId = doc.RootElement.GetProperty("id").GetString()!;
        Assert.Equal($"/api/tenants/{tenantId}/enrolment-runs/{runId}", response.Headers.Location?.OriginalString);
        return runId;
    }

    /// <summary>Polls the run until it is over and its notices have all been dealt with.</summary>
    public static async Task<EnrolmentRunStatus> WaitForRunAsync(this HttpClient client, string tenantId, string actorId, string runId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        EnrolmentRunStatus status;
        while (true)
        {
            status = await client.GetRunAsync(tenantId, actorId, runId);
            var noticesDone = status.CustomStatus.Notices is { Pending: 0 } n
                && n.Sent + n.Skipped + n.Failed >= status.CustomStatus.NoticesQueued;
            if (status.RuntimeStatus is RunStatus.Completed or RunStatus.Failed && noticesDone)
            {
                return status;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Run {runId} did not finish in {timeout}: {JsonSerializer.Serialize(status, Json)}");
            }

            await Task.Delay(200);
        }
    }

    public static async Task<List<MailDevEmail>> MailToDomainAsync(MailDevClient mail, string domain) =>
        (await mail.GetAllAsync()).Where(e => e.To.Any(a => a.Address.EndsWith("@" + domain, StringComparison.OrdinalIgnoreCase))).ToList();
}
