using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.FunctionalTests.Enrolment;
using TwoFactorFunctions.FunctionalTests.Infrastructure;
using TwoFactorFunctions.FunctionalTests.Support;

namespace TwoFactorFunctions.FunctionalTests.Operations;

/// <summary>
/// Runs alone, after every parallel collection: OpenTelemetry listens process-wide, so another test's app would
/// otherwise add its spans and measurements to the ones asserted here.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryGroup : ICollectionFixture<TestServices>
{
    public const string Name = "telemetry";
}

/// <summary>The spans and instruments an operator relies on, read from OpenTelemetry's in-memory exporters.</summary>
[Collection(TelemetryGroup.Name)]
public sealed class TelemetryTests(TestServices services)
{
    [Fact]
    public async Task SignIn_CodeSentAndVerified_ExportsOneTraceWithStorageAndProviderSpansAndCounts()
    {
        var telemetry = new ExportedTelemetry();
        await using var app = new TwoFactorAppFactory(services, "tfftelemetry") { ConfigureServices = telemetry.Register };
        var portal = new PortalApi(app);
        telemetry.Attach(app.Services);
        var tenant = PortalApi.NewTenantId("tel");
        await portal.CreateTenantAsync(tenant);
        var userId = $"ann.{Guid.NewGuid():N}@example.test";
        await portal.CreateUserAsync(tenant, userId, userId);
        var (sentBefore, successBefore, smtpBefore, storageBefore) = (
            telemetry.Total("tff.codes.sent", ("channel", "email"), ("outcome", "sent")),
            telemetry.Total("tff.verifications", ("outcome", "success")),
            telemetry.Total("tff.provider.duration", ("provider", "smtp"), ("outcome", "accepted")),
            telemetry.Total("tff.storage.requests"));

        var challengeId = await portal.CreateChallengeIdAsync(tenant, userId);
        var code = await portal.ReadCodeAsync(userId);
        using var verified = await portal.VerifyAsync(tenant, challengeId, code);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);

        Assert.Equal(sentBefore + 1, telemetry.Total("tff.codes.sent", ("channel", "email"), ("outcome", "sent")));
        Assert.Equal(successBefore + 1, telemetry.Total("tff.verifications", ("outcome", "success")));
        Assert.Equal(smtpBefore + 1, telemetry.Total("tff.provider.duration", ("provider", "smtp"), ("outcome", "accepted")));
        Assert.True(telemetry.Total("tff.storage.requests") > storageBefore, "every request to Table Storage is counted");

        // The challenge request is one trace: the server span, its table calls, the send and the provider call under it.
        var spans = telemetry.Spans;
        var request = Assert.Single(spans, s => s.Kind == ActivityKind.Server && Tag(s, "http.request.method") == "POST"
            && Tag(s, "http.route") == "/" + ChallengesApi.Routes.Challenges);
        Assert.Equal("/" + ChallengesApi.Routes.Challenges, Tag(request, "url.path"));
        var trace = spans.Where(s => s.TraceId == request.TraceId).ToList();
        var send = Assert.Single(trace, s => s.OperationName == "SendCode");
        Assert.Equal("email", Tag(send, "tff.channel"));
        var provider = Assert.Single(trace, s => s.OperationName == "ProviderSend");
        Assert.Equal(send.SpanId, provider.ParentSpanId);
        Assert.Equal("smtp", Tag(provider, "tff.provider"));
        var tableCalls = trace.Where(s => s.Source.Name.StartsWith("Azure.Data.Tables", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(tableCalls);

        // Entity keys (user ids, phone numbers in the send guard's keys) never leave in a storage URL.
        Assert.All(spans.Select(s => Tag(s, "url.full") ?? Tag(s, "http.url")).OfType<string>(), url => Assert.DoesNotContain("(", url));
    }

    [Fact]
    public async Task WrongCodes_UntilLocked_CountVerificationOutcomesAndOneLockout()
    {
        var telemetry = new ExportedTelemetry();
        await using var app = new TwoFactorAppFactory(services, "tfftelemetry", new Dictionary<string, string?>
        {
            ["TwoFactor:MaxFailedAttemptsPerAccount"] = "3",
        }) { ConfigureServices = telemetry.Register };
        var portal = new PortalApi(app);
        telemetry.Attach(app.Services);
        var tenant = PortalApi.NewTenantId("tel");
        await portal.CreateTenantAsync(tenant);
        await portal.CreateUserAsync(tenant, "bob", $"bob.{tenant}@example.test");
        var (lockoutsBefore, wrongBefore, lockedBefore) = (
            telemetry.Total("tff.lockouts"),
            telemetry.Total("tff.verifications", ("outcome", "invalid_code")),
            telemetry.Total("tff.verifications", ("outcome", "account_locked")));

        var challengeId = await portal.CreateChallengeIdAsync(tenant, "bob");
        var code = await portal.ReadCodeAsync($"bob.{tenant}@example.test");
        var wrong = code == "000000" ? "111111" : "000000";
        for (var i = 0; i < 3; i++)
        {
            using var _ = await portal.VerifyAsync(tenant, challengeId, wrong);
        }

        using var afterLock = await portal.VerifyAsync(tenant, challengeId, code);
        await PortalApi.AssertProblemAsync(afterLock, HttpStatusCode.Locked, "account_locked");

        Assert.Equal(lockoutsBefore + 1, telemetry.Total("tff.lockouts"));
        Assert.Equal(wrongBefore + 2, telemetry.Total("tff.verifications", ("outcome", "invalid_code")));
        Assert.Equal(lockedBefore + 2, telemetry.Total("tff.verifications", ("outcome", "account_locked")));
    }

    [Fact]
    public async Task ExportedTelemetry_SignInWithEmailUserIdPhoneAndRememberedDevice_HoldsNoPersonalDataOrSecret()
    {
        var telemetry = new ExportedTelemetry();
        await using var app = new TwoFactorAppFactory(services, "tfftelemetry", environment: "Development") { ConfigureServices = telemetry.Register };
        var portal = new PortalApi(app);
        telemetry.Attach(app.Services);
        var tenant = PortalApi.NewTenantId("tel");
        await portal.CreateTenantAsync(tenant);
        var userId = $"carol.{Guid.NewGuid():N}@example.test";
        const string phone = "+61412555019";
        await portal.CreateUserAsync(tenant, userId, userId, phone);

        // Email code with the device remembered, then the user read back by a path that carries the id.
        var challengeId = await portal.CreateChallengeIdAsync(tenant, userId);
        var code = await portal.ReadCodeAsync(userId);
        using var verified = await portal.VerifyAsync(tenant, challengeId, code, rememberDevice: true);
        var deviceToken = (await verified.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deviceToken").GetString()!;
        using var read = await portal.Http.GetAsync($"/api/tenants/{tenant}/users/{Uri.EscapeDataString(userId)}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);

        // An SMS code too: the send guard's counters are keyed by the number.
        await portal.SetPolicyAsync(tenant, t => t with { Channel = Core.Directory.Channel.Sms });
        await portal.CreateChallengeIdAsync(tenant, userId);
        var smsCode = await portal.ReadPhoneCodeAsync(tenant, phone);

        var text = telemetry.AllText();
        Assert.True(telemetry.LogCount > 0, "no logs were exported");
        foreach (var secret in new[] { userId, phone, phone[1..], code, smsCode, deviceToken, deviceToken.Split('.')[1], TwoFactorAppFactory.PortalKey })
        {
            var leaks = text.Where(t => t.Contains(secret, StringComparison.Ordinal)).Take(3).ToList();
            Assert.True(leaks.Count == 0, $"'{secret}' exported in: {string.Join(" | ", leaks)}");
        }
    }

    [Fact]
    public async Task EnrolmentRun_FiveUsersInBatchesOfTwo_IsOneTraceFromTheRequestThroughEveryBatch()
    {
        var telemetry = new ExportedTelemetry();
        await using var app = new EnrolmentAppFactory(services, new Dictionary<string, string?> { ["Enrolment:BatchSize"] = "2" }, telemetry.Register);
        var client = app.Api();
        telemetry.Attach(app.Services);
        const string tenant = "telemetry-run";
        await EnrolmentKit.SeedAsync(app.Tables, tenant, EnrolmentKit.Company(5, app.MailDomain));
        var enrolledBefore = telemetry.Total("tff.enrolment.users", ("outcome", "successful"));

        var runId = await client.StartRunAsync(tenant, "admin", new { enabled = true, mode = "RequiredForAll", channel = "Email" });
        var status = await client.WaitForRunAsync(tenant, "admin", runId, TimeSpan.FromSeconds(60));
        Assert.Equal(5, status.CustomStatus.Successful);

        Assert.Equal(enrolledBefore + 5, telemetry.Total("tff.enrolment.users", ("outcome", "successful")));
        var spans = telemetry.Spans;
        var start = Assert.Single(spans, s => s.Kind == ActivityKind.Server && Tag(s, "http.request.method") == "PUT"
            && Tag(s, "http.route") == "/api/tenants/{tenantId}/two-factor");
        var trace = spans.Where(s => s.TraceId == start.TraceId).ToList();
        Assert.Contains(trace, s => s.Source.Name == "DurableTask.Core" && s.DisplayName.Contains("EnrolmentOrchestrator", StringComparison.Ordinal));
        var batches = trace.Where(s => s.OperationName == "EnrolmentBatch").ToList();
        Assert.Equal(3, batches.Select(b => Tag(b, "tff.batch")).Distinct().Count());
        Assert.All(batches, b => Assert.Equal(runId, Tag(b, "tff.run_id")));
        Assert.Contains(trace, s => s.Source.Name == "DurableTask.Core" && s.DisplayName.Contains("ProcessEnrolmentBatch", StringComparison.Ordinal));
    }

    private static string? Tag(Activity span, string key) => span.GetTagItem(key)?.ToString();
}
