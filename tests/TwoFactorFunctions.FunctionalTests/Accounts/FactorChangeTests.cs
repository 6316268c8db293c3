using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.FunctionalTests.Infrastructure;
using TwoFactorFunctions.FunctionalTests.Support;

namespace TwoFactorFunctions.FunctionalTests.Accounts;

/// <summary>
/// The factor-change rule tried as an attacker would, on Azurite and MailDev: with a stolen session, a hijacked
/// mailbox, a single admin; each attack refused with its status and code, and what the real owner hears of it.
/// </summary>
[Collection(ServicesGroup.Name)]
public sealed partial class FactorChangeTests(TestServices services) : IAsyncLifetime, IDisposable
{
    private static readonly FactorPolicy AppOnly = new() { Allowed = [Factor.Authenticator, Factor.RecoveryCode], Preferred = Factor.Authenticator };

    private readonly TwoFactorAppFactory _app = new(services, "tffrule", new Dictionary<string, string?> { ["TwoFactor:MaxChallengesPerWindow"] = "100" });
    private PortalApi _portal = null!;
    private string _tenant = "";
    private string _adminEmail = "";

    public async Task InitializeAsync()
    {
        _portal = new PortalApi(_app);
        _tenant = PortalApi.NewTenantId("rule");
        await _portal.CreateTenantAsync(_tenant);
        _adminEmail = await _portal.CreateUserAsync(_tenant, "admin", role: "Admin");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task ContactChange_UserWithApp_EmailCodeIsNoProofAndTheAppIs()
    {
        var email = await _portal.CreateUserAsync(_tenant, "ann");
        var enrolled = await _portal.EnrolAuthenticatorAsync(_tenant, "ann", email);
        _app.Time.Advance(TimeSpan.FromSeconds(30));

        // Whoever reads the mailbox cannot get a proof: the challenge is answered with the app, and no code is sent for it.
        var start = await _portal.SendAsUserAsync(HttpMethod.Post, _tenant, "ann", "two-factor/challenges", "ann", null);
        var challenge = await start.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["Authenticator", "RecoveryCode"], PortalApi.Actions(challenge, "factors"));
        await PortalApi.AssertProblemAsync(await _portal.ResendAsync(_tenant, challenge.GetProperty("challengeId").GetString()!), HttpStatusCode.Conflict,
            "factor_not_allowed");

        var proof = await _portal.ProveSelfWithAppAsync(_tenant, "ann", enrolled.Secret);
        var newEmail = $"ann.new.{_tenant}@example.test";
        var changed = await _portal.SendAsUserAsync(HttpMethod.Post, _tenant, "ann", "contact-changes", "ann", new { email = newEmail, verifiedChallengeId = proof });
        Assert.Equal(HttpStatusCode.Created, changed.StatusCode);
        await _portal.ReadNextCodeAsync(newEmail, 0);
    }

    [Fact]
    public async Task RemoveAuthenticator_ProvenByTheOptInEmailCode_RefusedAsStrongerProofRequired()
    {
        await _portal.SetPolicyAsync(_tenant, t => t with { Mode = TwoFactorMode.UserOptIn });
        var email = await _portal.CreateUserAsync(_tenant, "bob");
        await _portal.EnrolAuthenticatorAsync(_tenant, "bob", email);

        // A code to the mailbox is offered (it proves the channel for opting in) but never proves a factor change.
        var codeProof = await _portal.ProveSelfAsync(_tenant, "bob", email);
        var refused = await _portal.SendAsUserAsync(HttpMethod.Delete, _tenant, "bob", $"authenticator?verifiedChallengeId={codeProof}", "bob", null);
        await PortalApi.AssertProblemAsync(refused, HttpStatusCode.Forbidden, "stronger_proof_required");
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["Authenticator", "RecoveryCode"], PortalApi.Actions(problem, "acceptedFactors"));
        Assert.True((await (await _portal.SendAsUserAsync(HttpMethod.Get, _tenant, "bob", "factors", "bob", null)).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("authenticatorEnrolled").GetBoolean());

        // The refusal did not spend the proof: it still proves what it can, turning 2FA on.
        var optIn = await _portal.SendAsUserAsync(HttpMethod.Put, _tenant, "bob", "two-factor", "bob", new { enabled = true, verifiedChallengeId = codeProof });
        Assert.Equal(HttpStatusCode.OK, optIn.StatusCode);
    }

    [Fact]
    public async Task RegenerateRecoveryCodes_WithAContactChangeOrSignInProof_Refused()
    {
        var email = await _portal.CreateUserAsync(_tenant, "cat");
        await _portal.EnrolAuthenticatorAsync(_tenant, "cat", email);

        // A verified sign-in is not a proof for a factor change, whatever factor answered it.
        var signIn = (await _portal.SignInAsync(_tenant, "cat")).GetProperty("challenge").GetProperty("challengeId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await _portal.VerifyAsync(_tenant, signIn, await _portal.ReadNextCodeAsync(email, 1))).StatusCode);

        await PortalApi.AssertProblemAsync(await _portal.RegenerateRecoveryCodesAsync(_tenant, "cat", signIn), HttpStatusCode.Forbidden, "verification_required");
        await PortalApi.AssertProblemAsync(await _portal.SendAsUserAsync(HttpMethod.Post, _tenant, "cat", "contact-changes", "cat",
            new { email = $"evil.{_tenant}@example.test", verifiedChallengeId = signIn }), HttpStatusCode.Forbidden, "verification_required");
        Assert.Equal(0, await _app.Infra.Mail.CountEmailsToAsync($"evil.{_tenant}@example.test"));
    }

    [Fact]
    public async Task AdminReset_OfOneself_Refused()
    {
        var proof = await _portal.StepUpAsync(_tenant, "admin", _adminEmail);

        await PortalApi.AssertProblemAsync(await _portal.ResetAsync(_tenant, "admin", "admin", proof), HttpStatusCode.Forbidden, "self_reset_forbidden");
    }

    [Fact]
    public async Task AdminReset_OfAnAdminHeldToTheAppByAnAdminWithoutIt_Refused()
    {
        await _portal.SetPolicyAsync(_tenant, t => t with { FactorPolicy = FactorPolicy.Default with { AuthenticatorRequiredForAdmins = true } });
        var heldEmail = await _portal.CreateUserAsync(_tenant, "held", role: "Admin");
        await _portal.EnrolAuthenticatorAsync(_tenant, "held", heldEmail);
        var otherEmail = await _portal.CreateUserAsync(_tenant, "other", role: "Admin");
        var withAppEmail = await _portal.CreateUserAsync(_tenant, "withapp", role: "Admin");
        var withApp = await _portal.EnrolAuthenticatorAsync(_tenant, "withapp", withAppEmail);

        var refused = await _portal.ResetAsync(_tenant, "held", "other", await _portal.StepUpAsync(_tenant, "other", otherEmail));
        await PortalApi.AssertProblemAsync(refused, HttpStatusCode.Forbidden, "stronger_proof_required");
        Assert.True((await (await _portal.SendAsUserAsync(HttpMethod.Get, _tenant, "held", "factors", "admin", null)).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("authenticatorEnrolled").GetBoolean());

        // Another admin holding the app may.
        _app.Time.Advance(TimeSpan.FromSeconds(30));
        var stepUp = await (await _portal.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/tenants/{_tenant}/two-factor/step-up")
            { Headers = { { "X-Actor-Id", "withapp" } } })).Content.ReadFromJsonAsync<JsonElement>();
        var id = stepUp.GetProperty("challengeId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await _portal.VerifyWithAsync(_tenant, id, "Authenticator", _portal.Totp(withApp.Secret))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _portal.ResetAsync(_tenant, "held", "withapp", id)).StatusCode);
    }

    [Fact]
    public async Task AdminReset_20InParallelWithOneStepUp_OneResetsTheRestRefused()
    {
        var email = await _portal.CreateUserAsync(_tenant, "dan");
        await _portal.EnrolAuthenticatorAsync(_tenant, "dan", email);
        var proof = await _portal.StepUpAsync(_tenant, "admin", _adminEmail);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _portal.ResetAsync(_tenant, "dan", "admin", proof)));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.Equal(19, answers.Count(a => a.StatusCode == HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task AdminReset_UnderAnAppOnlyPolicy_CodeSignsInOnlyToEnrolAnApp()
    {
        var email = await _portal.CreateUserAsync(_tenant, "eve");
        await _portal.EnrolAuthenticatorAsync(_tenant, "eve", email);
        var adminApp = await _portal.EnrolAuthenticatorAsync(_tenant, "admin", _adminEmail);
        await _portal.SetPolicyAsync(_tenant, t => t with { FactorPolicy = AppOnly });
        _app.Time.Advance(TimeSpan.FromSeconds(30));
        var stepUp = await (await _portal.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/tenants/{_tenant}/two-factor/step-up")
            { Headers = { { "X-Actor-Id", "admin" } } })).Content.ReadFromJsonAsync<JsonElement>();
        var stepUpId = stepUp.GetProperty("challengeId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await _portal.VerifyWithAsync(_tenant, stepUpId, "Authenticator", _portal.Totp(adminApp.Secret))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _portal.ResetAsync(_tenant, "eve", "admin", stepUpId)).StatusCode);

        var before = await _app.Infra.Mail.CountEmailsToAsync(email);
        var decision = await _portal.SignInAsync(_tenant, "eve");
        Assert.True(decision.GetProperty("authenticatorEnrolmentRequired").GetBoolean());
        var verified = await _portal.VerifyAsync(_tenant, decision.GetProperty("challenge").GetProperty("challengeId").GetString()!,
            await _portal.ReadNextCodeAsync(email, before), rememberDevice: true);
        var outcome = await verified.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(outcome.GetProperty("complete").GetBoolean());
        Assert.True(outcome.GetProperty("enrolmentOnly").GetBoolean());
        Assert.Equal(JsonValueKind.Null, outcome.GetProperty("deviceToken").ValueKind);

        // The code proves an enrolment, and nothing else.
        var proof = await _portal.ProveSelfAsync(_tenant, "eve", email);
        await PortalApi.AssertProblemAsync(await _portal.SendAsUserAsync(HttpMethod.Post, _tenant, "eve", "contact-changes", "eve",
            new { email = $"eve.new.{_tenant}@example.test", verifiedChallengeId = proof }), HttpStatusCode.Conflict, "authenticator_enrolment_required");
        Assert.Equal(HttpStatusCode.Created, (await _portal.StartEnrolmentAsync(_tenant, "eve", proof)).StatusCode);
    }

    [Fact]
    public async Task Verify_ActionForcedAfterTheChallengeWasIssued_AnsweredAndNotComplete()
    {
        var email = await _portal.CreateUserAsync(_tenant, "fay");
        var id = await _portal.CreateChallengeIdAsync(_tenant, "fay");

        var force = await _portal.SendAsUserAsync(HttpMethod.Post, _tenant, "fay", "required-actions", "admin", new { actions = new[] { "UpdatePassword" } });
        Assert.True(force.IsSuccessStatusCode, await force.Content.ReadAsStringAsync());
        var outcome = await (await _portal.VerifyAsync(_tenant, id, await _portal.ReadCodeAsync(email))).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(["UpdatePassword"], PortalApi.Actions(outcome));
        Assert.False(outcome.GetProperty("complete").GetBoolean());
    }

    [Fact]
    public async Task RememberedDevice_PolicyTightenedOrAppEnrolled_ChallengedAgain()
    {
        var email = await _portal.CreateUserAsync(_tenant, "gus");
        var token = await RememberAsync("gus", email, 1);
        Assert.Equal("TrustedDevice", (await DecisionAsync("gus", token)).GetProperty("reason").GetString());

        // Enrolling an app is a factor change: the device remembered on an email code no longer skips the challenge.
        var enrolled = await _portal.EnrolAuthenticatorAsync(_tenant, "gus", email);
        Assert.True((await DecisionAsync("gus", token)).GetProperty("required").GetBoolean());

        // A device remembered after that, then the company tightens its policy (no step-up needed to strengthen).
        _app.Time.Advance(TimeSpan.FromSeconds(30));
        var id = (await _portal.SignInAsync(_tenant, "gus")).GetProperty("challenge").GetProperty("challengeId").GetString()!;
        var again = await (await _portal.VerifyWithAsync(_tenant, id, "Authenticator", _portal.Totp(enrolled.Secret), rememberDevice: true))
            .Content.ReadFromJsonAsync<JsonElement>();
        var second = again.GetProperty("deviceToken").GetString()!;
        SecretScan.Saw(second);
        Assert.Equal("TrustedDevice", (await DecisionAsync("gus", second)).GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.OK, (await SettingsAsync(new { factors = new { allowed = new[] { "Authenticator", "RecoveryCode" }, preferred = "Authenticator" } })).StatusCode);
        Assert.True((await DecisionAsync("gus", second)).GetProperty("required").GetBoolean());
    }

    [Fact]
    public async Task OpenChallenge_PolicyTightenedBeforeVerify_CodeRefused()
    {
        var email = await _portal.CreateUserAsync(_tenant, "hal");
        await _portal.EnrolAuthenticatorAsync(_tenant, "hal", email);
        var challenge = (await _portal.SignInAsync(_tenant, "hal")).GetProperty("challenge");
        Assert.Contains("Code", PortalApi.Actions(challenge, "factors"));
        var id = challenge.GetProperty("challengeId").GetString()!;
        var code = await _portal.ReadNextCodeAsync(email, 1);

        Assert.Equal(HttpStatusCode.OK, (await SettingsAsync(new { factors = new { allowed = new[] { "Authenticator", "RecoveryCode" }, preferred = "Authenticator" } })).StatusCode);

        await PortalApi.AssertProblemAsync(await _portal.VerifyAsync(_tenant, id, code), HttpStatusCode.Conflict, "factor_not_allowed");
    }

    [Fact]
    public async Task ContactChange_TwoStartsWithOneProof_OneCodeSentTheOtherRefused()
    {
        var email = await _portal.CreateUserAsync(_tenant, "ida");
        var proof = await _portal.ProveSelfAsync(_tenant, "ida", email);

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => _portal.SendAsUserAsync(HttpMethod.Post, _tenant, "ida", "contact-changes", "ida",
            new { email = $"ida{i}.{_tenant}@example.test", verifiedChallengeId = proof })));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.Equal(9, answers.Count(a => a.StatusCode == HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task ChangedEmail_PreviousAddressHearsLaterChangesAndReportsThem_AccountLockedAdminsAlerted()
    {
        var oldEmail = await _portal.CreateUserAsync(_tenant, "jo");
        var newEmail = $"jo.new.{_tenant}@example.test";
        Assert.Equal(HttpStatusCode.OK, (await _portal.ChangeEmailAsync(_tenant, "jo", oldEmail, newEmail)).StatusCode);
        await _app.Infra.Mail.WaitForEmailAsync(oldEmail, m => m.Subject.Contains("email address was changed", StringComparison.Ordinal), TimeSpan.FromSeconds(15));

        // Whoever now reads the new address adds an app: the previous address hears of it, with a report token.
        await _portal.EnrolAuthenticatorAsync(_tenant, "jo", newEmail);
        var notice = await _app.Infra.Mail.WaitForEmailAsync(oldEmail, m => m.Subject.Contains("authenticator app was added", StringComparison.Ordinal),
            TimeSpan.FromSeconds(15));
        var token = ReportReference().Match(notice.Text ?? "").Groups[1].Value;
        SecretScan.Saw(token);

        await PortalApi.AssertProblemAsync(await ReportAsync("jo", token + "x"), HttpStatusCode.Forbidden, "invalid_report_token");
        Assert.Equal(HttpStatusCode.Accepted, (await ReportAsync("jo", token)).StatusCode);

        await PortalApi.AssertProblemAsync(await _portal.CreateChallengeAsync(_tenant, "jo"), HttpStatusCode.Locked, "account_locked");
        await _app.Infra.Mail.WaitForEmailAsync(_adminEmail, m => m.Subject.Contains("reported a sign-in change", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        await PortalApi.AssertProblemAsync(await ReportAsync("jo", token), HttpStatusCode.Forbidden, "invalid_report_token");

        // After the grace period the previous address is no longer told, and its token no longer works.
        _app.Time.Advance(DirectoryUser.ContactGrace + TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.NoContent, (await _portal.SendAsUserAsync(HttpMethod.Post, _tenant, "jo", "unlock", "admin", null)).StatusCode);
        var before = await _app.Infra.Mail.CountEmailsToAsync(oldEmail);
        Assert.Equal(HttpStatusCode.OK, (await _portal.ResetAsync(_tenant, "jo", "admin", await _portal.StepUpAsync(_tenant, "admin", _adminEmail))).StatusCode);
        await _app.Infra.Mail.WaitForEmailAsync(newEmail, m => m.Subject.Contains("sign-in factors were reset", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.Equal(before, await _app.Infra.Mail.CountEmailsToAsync(oldEmail));
    }

    [Fact]
    public async Task WeakenPolicy_AdminWhoNeverOptedIn_StillNeedsAStepUp()
    {
        await _portal.SetPolicyAsync(_tenant, t => t with { Mode = TwoFactorMode.UserOptIn });

        await PortalApi.AssertProblemAsync(await SettingsAsync(new { deviceTrustDays = 30 }), HttpStatusCode.Forbidden, "verification_required");
        var proven = await SettingsAsync(new { deviceTrustDays = 30, verifiedChallengeId = await _portal.StepUpAsync(_tenant, "admin", _adminEmail) });

        Assert.Equal(HttpStatusCode.OK, proven.StatusCode);
        Assert.Equal(30, (await proven.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deviceTrustDays").GetInt32());
    }

    [Fact]
    public async Task DirectorySync_ChangesTheEmail_PreviousAddressToldAndRememberedDevicesForgotten()
    {
        var oldEmail = await _portal.CreateUserAsync(_tenant, "kim");
        var token = await RememberAsync("kim", oldEmail, 1);
        Assert.Equal("TrustedDevice", (await DecisionAsync("kim", token)).GetProperty("reason").GetString());

        var newEmail = $"kim.new.{_tenant}@example.test";
        await _portal.CreateUserAsync(_tenant, "kim", email: newEmail);

        var notice = await _app.Infra.Mail.WaitForEmailAsync(oldEmail, m => m.Subject.Contains("email address was changed", StringComparison.Ordinal),
            TimeSpan.FromSeconds(15));
        SecretScan.Saw(ReportReference().Match(notice.Text ?? "").Groups[1].Value);
        Assert.True((await DecisionAsync("kim", token)).GetProperty("required").GetBoolean());
        Assert.Contains(await _app.Infra.Mail.GetEmailsToAsync(newEmail), m => m.Subject.Contains("email address was changed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenApi_FactorChangeOperations_NameTheProofAndItsProblems()
    {
        var doc = await _portal.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var operations = doc.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(o => o.Value))
            .Where(o => o.ValueKind == JsonValueKind.Object && o.TryGetProperty("operationId", out _))
            .ToDictionary(o => o.GetProperty("operationId").GetString()!);

        foreach (var name in new[] { "StartContactChange", "UpdateUserTwoFactor", "ResetUserTwoFactor", "StartAuthenticatorEnrolment", "RemoveAuthenticator",
                     "RegenerateRecoveryCodes", "UpdateTwoFactorSettings", "StartPasskeyRegistration", "RemovePasskey" })
        {
            var operation = operations[name];
            Assert.Contains("stronger_proof_required", operation.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.True(operation.GetProperty("responses").TryGetProperty("403", out _), name);
            Assert.True(operation.GetProperty("responses").TryGetProperty("409", out _), name);
        }

        // Each handler's body is its own schema (they are all records named Body), and it names the proof.
        foreach (var name in new[] { "StartContactChange", "ResetUserTwoFactor", "StartPasskeyRegistration" })
        {
            Assert.Contains($"#/components/schemas/{name}Body", operations[name].GetProperty("requestBody").GetRawText(), StringComparison.Ordinal);
            var schema = doc.GetProperty("components").GetProperty("schemas").GetProperty($"{name}Body");
            Assert.True(schema.GetProperty("properties").TryGetProperty("verifiedChallengeId", out _), name);
        }
    }

    private async Task<string> RememberAsync(string userId, string email, int nth)
    {
        var id = await _portal.CreateChallengeIdAsync(_tenant, userId);
        var verified = await _portal.VerifyAsync(_tenant, id, await _portal.ReadCodeAsync(email, nth), rememberDevice: true);
        return (await verified.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deviceToken").GetString()!;
    }

    private async Task<JsonElement> DecisionAsync(string userId, string deviceToken) =>
        await (await _portal.CreateChallengeAsync(_tenant, userId, deviceToken)).Content.ReadFromJsonAsync<JsonElement>();

    private Task<HttpResponseMessage> SettingsAsync(object body) => _portal.UpdateSettingsAsync(_tenant, "admin", body);

    private Task<HttpResponseMessage> ReportAsync(string userId, string token) =>
        _portal.Http.PostAsJsonAsync($"/api/tenants/{_tenant}/users/{userId}/change-reports", new { token });

    [GeneratedRegex(@"this reference: (\S+)")]
    private static partial Regex ReportReference();
}
