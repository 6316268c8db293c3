using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;
using TwoFactorFunctions.FunctionalTests.Infrastructure;
using TwoFactorFunctions.Infrastructure.Storage;
using TwoFactorFunctions.Workflows.Enrolment;

namespace TwoFactorFunctions.FunctionalTests.Enrolment;

/// <summary>Enrolment runs end to end in the app's own process: the Durable Task engine on real Azurite, real SMTP into MailDev.</summary>
[Collection(ServicesGroup.Name)]
public sealed partial class EnrolmentRunTests(TestServices services)
{
    private const string Tenant = "acme";
    private const string Admin = "admin";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task EnableRequiredForAll_152UserCompany_EnrolsEveryoneWith152NoticesAndOneSummary()
    {
        await using var app = new EnrolmentAppFactory(services);
        using var client = app.Api();
        await EnrolmentKit.SeedAsync(app.Tables, Tenant, EnrolmentKit.Company(152, app.MailDomain));

        var runId = await client.StartRunAsync(Tenant, Admin, new { enabled = true, mode = "RequiredForAll", channel = "Email" });
        var status = await client.WaitForRunAsync(Tenant, Admin, runId, RunTimeout);

        Assert.Equal(RunStatus.Completed, status.RuntimeStatus);
        Assert.Equal(RunKind.Enrol, status.Input.Kind);
        Assert.Equal((152, 152, 0, 0, 0, 0), Counts(status));
        Assert.Equal(152, status.CustomStatus.Notices!.Sent);
        Assert.NotNull(status.Output!.SummarySentAt);
        Assert.Null(status.Output.AlertSentAt);

        var mail = await EnrolmentKit.MailToDomainAsync(services.Mail, app.MailDomain);
        var notices = mail.Where(e => e.Subject.Contains("is now on", StringComparison.Ordinal)).ToList();
        Assert.Equal(152, notices.Count);
        Assert.Equal(152, notices.Select(e => e.To[0].Address).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        var first = notices.Single(e => e.To[0].Address == EnrolmentKit.Address("u000001", app.MailDomain));
        Assert.Contains("Mary Hopkins", first.Text, StringComparison.Ordinal);
        Assert.Contains($"u...1@{app.MailDomain}", first.Text, StringComparison.Ordinal);

        var summary = Assert.Single(mail, e => e.Subject.EndsWith("two-factor authentication enrolment", StringComparison.Ordinal));
        Assert.Equal(EnrolmentKit.Address(Admin, app.MailDomain), summary.To[0].Address);
        Assert.Contains("Total users: 152", summary.Text, StringComparison.Ordinal);
        Assert.Contains("Enrolment successful: 152", summary.Text, StringComparison.Ordinal);
        Assert.Contains("Enrolment failed: 0", summary.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(mail, e => e.To[0].Address == app.SecurityAddress);

        var users = app.Services.GetRequiredService<IUserStore>();
        var enrolled = await users.GetAsync(Tenant, "u000151", default);
        Assert.True(enrolled!.TwoFactorEnabled);
        Assert.Equal(runId, enrolled.LastRunId);
        Assert.NotNull(enrolled.EnrolledAt);

        var settings = await GetSettingsAsync(client);
        Assert.True(settings.Enabled);
        Assert.Null(settings.ActiveRunId);
        Assert.Equal(runId, settings.LastRunId);

        // A real Durable orchestration: its instance and history rows are in the task hub's tables.
        var hub = app.Tables.Service;
        var instance = TableClient.CreateQueryFilter($"PartitionKey eq {EnrolmentWorkflow.InstanceId(Tenant, runId)}");
        var instances = new List<TableEntity>();
        await foreach (var row in hub.GetTableClient(app.Prefix + "hubInstances").QueryAsync<TableEntity>(instance))
        {
            instances.Add(row);
        }

        var history = new List<TableEntity>();
        await foreach (var row in hub.GetTableClient(app.Prefix + "hubHistory").QueryAsync<TableEntity>(instance))
        {
            history.Add(row);
        }

        Assert.Equal("Completed", Assert.Single(instances).GetString("RuntimeStatus"));
        Assert.NotEmpty(history);

        // Ids and counts only: no user's or admin's address or name in what Durable stores.
        var stored = string.Join('\n', instances.Concat(history).SelectMany(e => e.Select(p => p.Value).OfType<string>()));
        Assert.DoesNotContain(app.MailDomain, stored, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Mary Hopkins", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnableRequiredForAll_MixedCompany_CountsEachBucketAndAlertsOnFailure()
    {
        await using var app = new EnrolmentAppFactory(services);
        using var client = app.Api();
        var d = app.MailDomain;
        await EnrolmentKit.SeedAsync(app.Tables, Tenant,
        [
            new(Admin, "Mary Hopkins", EnrolmentKit.Address(Admin, d), Role: UserRole.Admin),
            new("normal1", "Normal One", EnrolmentKit.Address("normal1", d)),
            new("normal2", "Normal Two", EnrolmentKit.Address("normal2", d)),
            new("inactive1", "Gone One", EnrolmentKit.Address("inactive1", d), Active: false),
            new("inactive2", "Gone Two", EnrolmentKit.Address("inactive2", d), Active: false),
            new("noemail", "No Email", null, "+61412000001"),
            new("enrolled", "Already Enrolled", EnrolmentKit.Address("enrolled", d), TwoFactorEnabled: true),
        ]);

        // A row another system wrote with a property of the wrong type: that user cannot be processed.
        await app.Tables.Accounts.UpsertEntityAsync(new TableEntity(Tenant, "corrupt")
        {
            ["DisplayName"] = "Corrupt Row",
            ["Email"] = EnrolmentKit.Address("corrupt", d),
            ["Active"] = "yes",
        });

        var runId = await client.StartRunAsync(Tenant, Admin, new { enabled = true });
        var status = await client.WaitForRunAsync(Tenant, Admin, runId, RunTimeout);

        // total, successful, unchanged, not exists, skipped, failed
        Assert.Equal((8, 3, 1, 1, 2, 1), Counts(status));
        Assert.Equal(RunStatus.Completed, status.RuntimeStatus);
        Assert.NotNull(status.Output!.AlertSentAt);
        Assert.Equal(4, status.CustomStatus.NoticesQueued);

        var mail = await EnrolmentKit.MailToDomainAsync(services.Mail, d);
        var noticed = mail.Where(e => e.Subject.Contains("is now on", StringComparison.Ordinal)).Select(e => e.To[0].Address.Split('@')[0]).Order().ToList();
        Assert.Equal("admin,enrolled,normal1,normal2", string.Join(',', noticed));

        var summary = Assert.Single(mail, e => e.Subject.EndsWith("enrolment", StringComparison.Ordinal));
        Assert.Contains("Total users: 8", summary.Text, StringComparison.Ordinal);
        Assert.Contains("Enrolment successful: 3", summary.Text, StringComparison.Ordinal);
        Assert.Contains("Enrolment unchanged / no contact / skipped: 1 / 1 / 2", summary.Text, StringComparison.Ordinal);
        Assert.Contains("Enrolment failed: 1", summary.Text, StringComparison.Ordinal);
        Assert.Contains("platform security team has been notified", summary.Text, StringComparison.Ordinal);

        var alert = Assert.Single(mail, e => e.To[0].Address == app.SecurityAddress);
        Assert.Contains(runId, alert.Text, StringComparison.Ordinal);
        Assert.Contains("Failed: 1", alert.Text, StringComparison.Ordinal);

        var users = app.Services.GetRequiredService<IUserStore>();
        Assert.False((await users.GetAsync(Tenant, "inactive1", default))!.TwoFactorEnabled);
        Assert.False((await users.GetAsync(Tenant, "noemail", default))!.TwoFactorEnabled);
        Assert.Null((await users.GetAsync(Tenant, "enrolled", default))!.LastRunId);
    }

    [Fact]
    public async Task UpdateSettings_WhileRunActive_RunChangeIs409AndOtherSettingsStillApply()
    {
        // No Durable worker: the orchestration stays Pending, so "active" is certain for the whole test.
        await using var app = new EnrolmentAppFactory(services, new Dictionary<string, string?> { ["Durable:WorkerEnabled"] = "false" });
        using var client = app.Api();
        await EnrolmentKit.SeedAsync(app.Tables, Tenant, EnrolmentKit.Company(5, app.MailDomain));
        var runId = await client.StartRunAsync(Tenant, Admin, new { enabled = true });

        using var second = await client.PutSettingsAsync(Tenant, Admin, new { channel = "Email", enabled = false });
        var problem = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("enrolment_run_active", problem.GetProperty("code").GetString());
        Assert.Equal(runId, problem.GetProperty("runId").GetString());

        using var other = await client.PutSettingsAsync(Tenant, Admin, new { codeLifetimeMinutes = 3 });
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        var settings = await GetSettingsAsync(client);
        Assert.Equal(3, settings.CodeLifetimeMinutes);
        Assert.True(settings.Enabled);
        Assert.Equal(runId, settings.ActiveRunId);
        Assert.Equal(RunStatus.Pending, (await client.GetRunAsync(Tenant, Admin, runId)).RuntimeStatus);
    }

    [Fact]
    public async Task Settings_NonAdminOrForeignAdmin_AreForbiddenAndBadValuesRejected()
    {
        // No SMS or voice provider in this deployment: choosing voice must be refused, not break every sign-in.
        await using var app = new EnrolmentAppFactory(services, new Dictionary<string, string?> { ["Durable:WorkerEnabled"] = "false", ["Messaging:PhoneProvider"] = "None" });
        using var client = app.Api();
        await EnrolmentKit.SeedAsync(app.Tables, Tenant, EnrolmentKit.Company(3, app.MailDomain));
        await EnrolmentKit.SeedAsync(app.Tables, "other", [new("otheradmin", "Other Admin", EnrolmentKit.Address("otheradmin", app.MailDomain), Role: UserRole.Admin)]);

        async Task<(HttpStatusCode, string?)> Put(string? actor, object body)
        {
            var request = new HttpRequestMessage(HttpMethod.Put, $"/api/tenants/{Tenant}/two-factor") { Content = JsonContent.Create(body) };
            if (actor is not null)
            {
                request.AsActor(actor);
            }

            using var response = await client.SendAsync(request);
            var json = await response.Content.ReadFromJsonAsync<JsonElement>();
            return (response.StatusCode, json.TryGetProperty("code", out var code) ? code.GetString() : null);
        }

        Assert.Equal((HttpStatusCode.Forbidden, "actor_required"), await Put(null, new { enabled = true }));
        Assert.Equal((HttpStatusCode.Forbidden, "admin_required"), await Put("u000001", new { enabled = true }));
        Assert.Equal((HttpStatusCode.Forbidden, "actor_forbidden"), await Put("otheradmin", new { enabled = true }));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_code_lifetime"), await Put(Admin, new { codeLifetimeMinutes = 30 }));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_device_trust_days"), await Put(Admin, new { deviceTrustDays = 91 }));
        Assert.Equal((HttpStatusCode.Conflict, "channel_unavailable"), await Put(Admin, new { channel = "Voice" }));

        using var get = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/tenants/{Tenant}/two-factor").AsActor("u000001"));
        Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
        var settings = await GetSettingsAsync(client);
        Assert.False(settings.Enabled);
        Assert.Equal(5, settings.CodeLifetimeMinutes);
    }

    [Fact]
    public async Task Disable_AfterEnrolment_NeedsFreshStepUpNotifiesUsersAndRevokesDeviceTrust()
    {
        await using var app = new EnrolmentAppFactory(services);
        using var client = app.Api();
        await EnrolmentKit.SeedAsync(app.Tables, Tenant, EnrolmentKit.Company(10, app.MailDomain));
        var enrolRun = await client.StartRunAsync(Tenant, Admin, new { enabled = true });
        await client.WaitForRunAsync(Tenant, Admin, enrolRun, RunTimeout);

        // u000001 signs in and has the device remembered.
        var deviceToken = await SignInAsync(client, app, "u000001", remember: true);
        Assert.Equal("TrustedDevice", (await DecideAsync(client, "u000001", deviceToken)).GetProperty("reason").GetString());

        // Weakening without proof is refused; a verified step-up is spent once.
        using (var refused = await client.PutSettingsAsync(Tenant, Admin, new { enabled = false }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("verification_required", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }

        var proof = await StepUpAsync(client, app);
        using (var longerTrust = await client.PutSettingsAsync(Tenant, Admin, new { deviceTrustDays = 30, verifiedChallengeId = proof }))
        {
            Assert.Equal(HttpStatusCode.OK, longerTrust.StatusCode);
        }

        using (var reused = await client.PutSettingsAsync(Tenant, Admin, new { enabled = false, verifiedChallengeId = proof }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, reused.StatusCode);
        }

        var disableRun = await client.StartRunAsync(Tenant, Admin, new { enabled = false, verifiedChallengeId = await StepUpAsync(client, app) });
        var status = await client.WaitForRunAsync(Tenant, Admin, disableRun, RunTimeout);

        Assert.Equal(RunKind.Disable, status.Input.Kind);
        Assert.Equal((10, 10, 0, 0, 0, 0), Counts(status));
        var mail = await EnrolmentKit.MailToDomainAsync(services.Mail, app.MailDomain);
        var offNotices = mail.Where(e => e.Subject.Contains("is now off", StringComparison.Ordinal)).ToList();
        Assert.Equal(10, offNotices.Count);
        Assert.Equal(10, offNotices.Select(e => e.To[0].Address).Distinct().Count());
        Assert.False((await app.Services.GetRequiredService<IUserStore>().GetAsync(Tenant, "u000001", default))!.TwoFactorEnabled);
        Assert.Equal("TenantTwoFactorDisabled", (await DecideAsync(client, "u000001", deviceToken)).GetProperty("reason").GetString());

        // Switched on again, the remembered device no longer skips the code.
        var again = await client.StartRunAsync(Tenant, Admin, new { enabled = true });
        await client.WaitForRunAsync(Tenant, Admin, again, RunTimeout);
        Assert.True((await DecideAsync(client, "u000001", deviceToken)).GetProperty("required").GetBoolean());

        var audit = await app.Services.GetRequiredService<IAuditLog>().ListAsync(Tenant, null, 100, default);
        var change = Assert.Single(audit.Items, e => e.Type == AuditEventType.SettingsChanged && e.Detail.Contains("enabled: True -> False", StringComparison.Ordinal));
        Assert.Equal(Admin, change.ActorId);
        Assert.Contains("step-up verified", change.Detail, StringComparison.Ordinal);
        Assert.Equal(3, audit.Items.Count(e => e.Type == AuditEventType.EnrolmentRunFinished));
    }

    [Fact]
    public async Task ChannelChange_EmailToSms_UsersReverifyOnSmsAndUsersWithoutPhoneAreNotExists()
    {
        var sms = new CapturingSms();
        await using var app = new EnrolmentAppFactory(services, configureServices: s => s.AddSingleton<ISmsSender>(sms));
        using var client = app.Api();
        await EnrolmentKit.SeedAsync(app.Tables, Tenant, EnrolmentKit.Company(6, app.MailDomain)); // admin and even users have phones
        var enrolRun = await client.StartRunAsync(Tenant, Admin, new { enabled = true });
        await client.WaitForRunAsync(Tenant, Admin, enrolRun, RunTimeout);
        await SignInAsync(client, app, "u000002", remember: false);
        var users = app.Services.GetRequiredService<IUserStore>();
        Assert.Equal(Channel.Email, (await users.GetAsync(Tenant, "u000002", default))!.VerifiedChannel);

        var runId = await client.StartRunAsync(Tenant, Admin, new { channel = "Sms" });
        var status = await client.WaitForRunAsync(Tenant, Admin, runId, RunTimeout);

        Assert.Equal(RunKind.ChannelChange, status.Input.Kind);
        Assert.Equal((6, 3, 0, 3, 0, 0), Counts(status)); // admin, u000002, u000004 have phones
        var mail = await EnrolmentKit.MailToDomainAsync(services.Mail, app.MailDomain);
        var moved = mail.Where(e => e.Subject.Contains("moving to text message", StringComparison.Ordinal)).Select(e => e.To[0].Address.Split('@')[0]).Order();
        Assert.Equal("admin,u000002,u000004", string.Join(',', moved));

        // The next challenge goes by SMS, and verifying it completes the re-verification.
        using var create = await client.PostAsJsonAsync($"/api/tenants/{Tenant}/challenges", new { userId = "u000002" });
        var challenge = (await create.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("challenge");
        Assert.Equal("Sms", challenge.GetProperty("channel").GetString());
        var code = CodePattern().Match(sms.Messages.Last(m => m.To == "+61412000002").Text).Value;
        using var verify = await client.PostAsJsonAsync($"/api/tenants/{Tenant}/challenges/{challenge.GetProperty("challengeId").GetString()}/verify", new { code });
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        Assert.Equal(Channel.Sms, (await users.GetAsync(Tenant, "u000002", default))!.VerifiedChannel);

        using var noPhone = await client.PostAsJsonAsync($"/api/tenants/{Tenant}/challenges", new { userId = "u000001" });
        Assert.Equal(HttpStatusCode.Conflict, noPhone.StatusCode);
    }

    [Fact]
    public async Task EnableUserOptIn_InvitesUsersWhoHaveNotOptedIn()
    {
        await using var app = new EnrolmentAppFactory(services);
        using var client = app.Api();
        var d = app.MailDomain;
        await EnrolmentKit.SeedAsync(app.Tables, Tenant,
        [
            new(Admin, "Mary Hopkins", EnrolmentKit.Address(Admin, d), Role: UserRole.Admin),
            new("a", "A", EnrolmentKit.Address("a", d)),
            new("b", "B", EnrolmentKit.Address("b", d)),
            new("opted", "Opted In", EnrolmentKit.Address("opted", d), TwoFactorEnabled: true),
        ]);

        var runId = await client.StartRunAsync(Tenant, Admin, new { enabled = true, mode = "UserOptIn" });
        var status = await client.WaitForRunAsync(Tenant, Admin, runId, RunTimeout);

        Assert.Equal(RunKind.OptInInvite, status.Input.Kind);
        Assert.Equal((4, 3, 1, 0, 0, 0), Counts(status));
        var invited = (await EnrolmentKit.MailToDomainAsync(services.Mail, d))
            .Where(e => e.Subject.StartsWith("You can now turn on", StringComparison.Ordinal)).Select(e => e.To[0].Address.Split('@')[0]).Order();
        Assert.Equal("a,admin,b", string.Join(',', invited));
        Assert.False((await app.Services.GetRequiredService<IUserStore>().GetAsync(Tenant, "a", default))!.TwoFactorEnabled);
    }

    [Fact]
    public async Task FailingBatch_FailsEveryAttempt_CountedFailedAlertSentAndSummarySentOnce()
    {
        await using var app = new EnrolmentAppFactory(services,
            new Dictionary<string, string?> { ["Enrolment:StepAttempts"] = "2", ["Enrolment:BatchSize"] = "100" },
            s => s.AddSingleton<IEnrolmentDirectory>(sp => new FailingDirectory(new TableEnrolmentDirectory(sp.GetRequiredService<TableStorage>()), "u000150")));
        using var client = app.Api();
        await EnrolmentKit.SeedAsync(app.Tables, Tenant, EnrolmentKit.Company(250, app.MailDomain));

        var runId = await client.StartRunAsync(Tenant, Admin, new { enabled = true });
        var status = await client.WaitForRunAsync(Tenant, Admin, runId, RunTimeout);

        // Batches: admin..u000099, u000100..u000199 (poisoned), u000200..u000249.
        Assert.Equal(RunStatus.Completed, status.RuntimeStatus);
        Assert.Equal((250, 150, 0, 0, 0, 100), Counts(status));
        Assert.Equal(150, status.CustomStatus.Notices!.Sent);

        Assert.Equal(2, ((FailingDirectory)app.Services.GetRequiredService<IEnrolmentDirectory>()).Failures);

        // Once the summary and the alert are in and the app has stopped (draining any send in flight), nothing more
        // can arrive, so a duplicate would be in the mailbox now.
        await Poll.UntilAsync(async () =>
            {
                var sent = await EnrolmentKit.MailToDomainAsync(services.Mail, app.MailDomain);
                return sent.Any(e => e.Subject.EndsWith("enrolment", StringComparison.Ordinal)) && sent.Any(e => e.To[0].Address == app.SecurityAddress);
            }, TimeSpan.FromSeconds(30), "the summary and the alert delivered");
        var mailDomain = app.MailDomain;
        var securityAddress = app.SecurityAddress;
        await app.DisposeAsync();
        var mail = await EnrolmentKit.MailToDomainAsync(services.Mail, mailDomain);
        var summary = Assert.Single(mail, e => e.Subject.EndsWith("enrolment", StringComparison.Ordinal));
        Assert.Contains("Enrolment failed: 100", summary.Text, StringComparison.Ordinal);
        var alert = Assert.Single(mail, e => e.To[0].Address == securityAddress);
        Assert.Contains("Failed: 100", alert.Text, StringComparison.Ordinal);
    }

    private static (long, long, long, long, long, long) Counts(EnrolmentRunStatus s) =>
        (s.CustomStatus.TotalUsers, s.CustomStatus.Successful, s.CustomStatus.Unchanged, s.CustomStatus.NotExists, s.CustomStatus.Skipped, s.CustomStatus.Failed);

    private static async Task<TwoFactorSettings> GetSettingsAsync(HttpClient client)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/tenants/{Tenant}/two-factor").AsActor(Admin));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TwoFactorSettings>(EnrolmentKit.Json))!;
    }

    private static async Task<JsonElement> DecideAsync(HttpClient client, string userId, string? deviceToken)
    {
        using var response = await client.PostAsJsonAsync($"/api/tenants/{Tenant}/challenges", new { userId, deviceToken, send = "Manual" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>A full sign-in challenge by email: create, read the code from MailDev, verify. Returns the device token if remembered.</summary>
    private async Task<string?> SignInAsync(HttpClient client, EnrolmentAppFactory app, string userId, bool remember)
    {
        var address = EnrolmentKit.Address(userId, app.MailDomain);
        var before = await CodeMailCountAsync(address);
        using var create = await client.PostAsJsonAsync($"/api/tenants/{Tenant}/challenges", new { userId });
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        var challengeId = (await create.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("challenge").GetProperty("challengeId").GetString()!;
        var code = await NextCodeAsync(address, before);
        using var verify = await client.PostAsJsonAsync($"/api/tenants/{Tenant}/challenges/{challengeId}/verify", new { code, rememberDevice = remember });
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        var body = await verify.Content.ReadFromJsonAsync<JsonElement>();
        return body.TryGetProperty("deviceToken", out var token) && token.ValueKind == JsonValueKind.String ? token.GetString() : null;
    }

    /// <summary>Gets a verified AdminStepUp challenge for the admin, as the portal's admin pop-up would.</summary>
    private async Task<string> StepUpAsync(HttpClient client, EnrolmentAppFactory app)
    {
        var address = EnrolmentKit.Address(Admin, app.MailDomain);
        var before = await CodeMailCountAsync(address);
        using var create = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/tenants/{Tenant}/two-factor/step-up").AsActor(Admin));
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        var challenge = await create.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("AdminStepUp", challenge.GetProperty("purpose").GetString());
        var challengeId = challenge.GetProperty("challengeId").GetString()!;
        var code = await NextCodeAsync(address, before);
        using var verify = await client.PostAsJsonAsync($"/api/tenants/{Tenant}/challenges/{challengeId}/verify", new { code });
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        return challengeId;
    }

    private async Task<List<MailDevEmail>> CodeMailsAsync(string address) =>
        (await services.Mail.GetEmailsToAsync(address)).Where(e => e.Subject.EndsWith("sign-in code", StringComparison.Ordinal)).ToList();

    private async Task<int> CodeMailCountAsync(string address) => (await CodeMailsAsync(address)).Count;

    /// <summary>The code of the first code email after the <paramref name="before"/> already there.</summary>
    private async Task<string> NextCodeAsync(string address, int before)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var codes = await CodeMailsAsync(address);
            if (codes.Count > before)
            {
                return CodePattern().Match(codes[before].Text!).Value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No code email reached {address}.");
            await Task.Delay(100);
        }
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex CodePattern();

    private sealed class CapturingSms : ISmsSender
    {
        public System.Collections.Concurrent.ConcurrentQueue<SmsMessage> Messages { get; } = new();

        public Task SendAsync(SmsMessage message, CancellationToken cancellationToken)
        {
            Messages.Enqueue(message);
            return Task.CompletedTask;
        }
    }

    /// <summary>Fails every read of the batch whose key range holds <paramref name="poisonedUser"/>, as a persistent storage fault would.</summary>
    private sealed class FailingDirectory(IEnrolmentDirectory inner, string poisonedUser) : IEnrolmentDirectory
    {
        private int _failures;

        public int Failures => Volatile.Read(ref _failures);

        public Task<Page<string>> ListUserIdsAsync(string tenantId, string? continuationToken, int pageSize, CancellationToken cancellationToken) =>
            inner.ListUserIdsAsync(tenantId, continuationToken, pageSize, cancellationToken);

        public Task<IReadOnlyList<UserRead>> ReadRangeAsync(string tenantId, string? after, string last, CancellationToken cancellationToken)
        {
            if (string.CompareOrdinal(after, poisonedUser) < 0 && string.CompareOrdinal(poisonedUser, last) <= 0)
            {
                Interlocked.Increment(ref _failures);
                throw new InvalidOperationException("Simulated persistent fault for this batch.");
            }

            return inner.ReadRangeAsync(tenantId, after, last, cancellationToken);
        }

        public Task<bool> TryUpdateTwoFactorAsync(IReadOnlyList<DirectoryUser> users, CancellationToken cancellationToken) =>
            inner.TryUpdateTwoFactorAsync(users, cancellationToken);
    }
}
