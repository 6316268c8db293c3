using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.FunctionalTests.Infrastructure;
using TwoFactorFunctions.FunctionalTests.Support;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.FunctionalTests.SignIn;

/// <summary>
/// Authenticator apps (TOTP) and recovery codes end to end on real Azurite and MailDev, the app's clock moved by the test.
/// </summary>
[Collection(ServicesGroup.Name)]
public sealed class AuthenticatorTests(TestServices services) : IAsyncLifetime, IDisposable
{
    private static readonly FactorPolicy AppOnly = new() { Allowed = [Factor.Authenticator, Factor.RecoveryCode], Preferred = Factor.Authenticator };

    // Parallel tests issue more than the default 10 challenges per user per window.
    private readonly TwoFactorAppFactory _app = new(services, "tfftotp", new Dictionary<string, string?> { ["TwoFactor:MaxChallengesPerWindow"] = "100" });
    private PortalApi _portal = null!;
    private string _tenant = "";

    public async Task InitializeAsync()
    {
        _portal = new PortalApi(_app);
        _tenant = PortalApi.NewTenantId("totp");
        await _portal.CreateTenantAsync(_tenant);
        await _portal.CreateUserAsync(_tenant, "admin", role: "Admin");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Enrol_SecretReadBackFromTheQrsUri_SignsInWithTheApp()
    {
        var email = await _portal.CreateUserAsync(_tenant, "mary");

        var enrolled = await _portal.EnrolAuthenticatorAsync(_tenant, "mary", email);

        // The QR code is exactly the QR of the URI the secret was read from.
        Assert.StartsWith("data:image/png;base64,iVBORw0KGgo", enrolled.QrCodePng, StringComparison.Ordinal);
        Assert.Equal(QrCodes.PngDataUri(enrolled.OtpAuthUri), enrolled.QrCodePng);
        Assert.StartsWith("otpauth://totp/Acme%20Portal:", enrolled.OtpAuthUri, StringComparison.Ordinal);
        Assert.Equal(20, enrolled.Secret.Length);
        Assert.Equal(10, enrolled.RecoveryCodes.Distinct().Count());

        var status = await (await _portal.SendAsUserAsync(HttpMethod.Get, _tenant, "mary", "factors", "mary", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(status.GetProperty("authenticatorEnrolled").GetBoolean());
        Assert.Equal(10, status.GetProperty("recoveryCodesLeft").GetInt32());
        Assert.DoesNotContain("secret", status.GetRawText(), StringComparison.OrdinalIgnoreCase);

        _app.Time.Advance(TimeSpan.FromSeconds(30));
        var decision = await _portal.SignInAsync(_tenant, "mary");
        var challenge = decision.GetProperty("challenge");
        Assert.Equal(["Code", "Authenticator", "RecoveryCode"], PortalApi.Actions(challenge, "factors"));
        Assert.Equal("Code", challenge.GetProperty("preferredFactor").GetString());

        var verified = await _portal.VerifyWithAsync(_tenant, challenge.GetProperty("challengeId").GetString()!, "Authenticator", _portal.Totp(enrolled.Secret));
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.Equal("Verified", (await verified.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("challenge").GetProperty("status").GetString());

        var notices = await _app.Infra.Mail.GetEmailsToAsync(email);
        Assert.Contains(notices, m => m.Subject.Contains("An authenticator app was added", StringComparison.Ordinal));
        Assert.Contains("AuthenticatorEnrolled", await AuditTypesAsync());
    }

    [Fact]
    public async Task SignIn_AuthenticatorPreferred_NoEmailSentAndCodeStillOnRequest()
    {
        var email = await _portal.CreateUserAsync(_tenant, "u1");
        var enrolled = await _portal.EnrolAuthenticatorAsync(_tenant, "u1", email);
        await _portal.SetPolicyAsync(_tenant, t => t with { FactorPolicy = FactorPolicy.Default with { Preferred = Factor.Authenticator } });
        _app.Time.Advance(TimeSpan.FromSeconds(30));
        var before = await _app.Infra.Mail.CountEmailsToAsync(email);

        var challenge = (await _portal.SignInAsync(_tenant, "u1")).GetProperty("challenge");

        Assert.False(challenge.GetProperty("codeSent").GetBoolean());
        Assert.Equal("Authenticator", challenge.GetProperty("preferredFactor").GetString());
        var id = challenge.GetProperty("challengeId").GetString()!;
        await PortalApi.AssertProblemAsync(await _portal.VerifyAsync(_tenant, id, "123456"), HttpStatusCode.Conflict, "code_not_sent");
        Assert.Equal(HttpStatusCode.OK, (await _portal.ResendAsync(_tenant, id)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _portal.VerifyAsync(_tenant, id, await _portal.ReadNextCodeAsync(email, before))).StatusCode);
        Assert.NotNull(enrolled);
    }

    [Fact]
    public async Task Verify_AppCodeTwoStepsOff_RefusedAndOneStepOff_Accepted()
    {
        var email = await _portal.CreateUserAsync(_tenant, "drift");
        var enrolled = await _portal.EnrolAuthenticatorAsync(_tenant, "drift", email);
        _app.Time.Advance(TimeSpan.FromMinutes(2));

        var id = await ChallengeAsync("drift");
        await PortalApi.AssertProblemAsync(await _portal.VerifyWithAsync(_tenant, id, "Authenticator", _portal.Totp(enrolled.Secret, -2)), HttpStatusCode.BadRequest, "invalid_code");
        await PortalApi.AssertProblemAsync(await _portal.VerifyWithAsync(_tenant, id, "Authenticator", _portal.Totp(enrolled.Secret, +2)), HttpStatusCode.BadRequest, "invalid_code");
        Assert.Equal(HttpStatusCode.OK, (await _portal.VerifyWithAsync(_tenant, id, "Authenticator", _portal.Totp(enrolled.Secret, -1))).StatusCode);

        _app.Time.Advance(TimeSpan.FromSeconds(90));
        var next = await ChallengeAsync("drift");
        Assert.Equal(HttpStatusCode.OK, (await _portal.VerifyWithAsync(_tenant, next, "Authenticator", _portal.Totp(enrolled.Secret, +1))).StatusCode);
    }

    [Fact]
    public async Task Verify_SameAppCodeOnASecondChallenge_RefusedAsReplay()
    {
        var email = await _portal.CreateUserAsync(_tenant, "u1");
        var enrolled = await _portal.EnrolAuthenticatorAsync(_tenant, "u1", email);
        _app.Time.Advance(TimeSpan.FromSeconds(30));
        var code = _portal.Totp(enrolled.Secret);

        Assert.Equal(HttpStatusCode.OK, (await _portal.VerifyWithAsync(_tenant, await ChallengeAsync("u1"), "Authenticator", code)).StatusCode);
        await PortalApi.AssertProblemAsync(await _portal.VerifyWithAsync(_tenant, await ChallengeAsync("u1"), "Authenticator", code), HttpStatusCode.Conflict, "code_already_used");

        // An earlier step inside the drift window is also spent once a later one was accepted.
        await PortalApi.AssertProblemAsync(await _portal.VerifyWithAsync(_tenant, await ChallengeAsync("u1"), "Authenticator", _portal.Totp(enrolled.Secret, -1)),
            HttpStatusCode.Conflict, "code_already_used");
    }

    [Fact]
    public async Task Verify_SameAppCodeOn20ChallengesInParallel_ExactlyOneSuccess()
    {
        var email = await _portal.CreateUserAsync(_tenant, "par");
        var enrolled = await _portal.EnrolAuthenticatorAsync(_tenant, "par", email);
        await _portal.SetPolicyAsync(_tenant, t => t with { FactorPolicy = FactorPolicy.Default with { Preferred = Factor.Authenticator } });
        _app.Time.Advance(TimeSpan.FromSeconds(30));
        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add(await ChallengeAsync("par"));
        }

        var code = _portal.Totp(enrolled.Secret);
        var responses = await Task.WhenAll(ids.Select(id => _portal.VerifyWithAsync(_tenant, id, "Authenticator", code)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));

        // And 20 in parallel on one challenge: one success, the rest see the challenge used.
        _app.Time.Advance(TimeSpan.FromSeconds(30));
        var one = await ChallengeAsync("par");
        var next = _portal.Totp(enrolled.Secret);
        var same = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _portal.VerifyWithAsync(_tenant, one, "Authenticator", next)));
        Assert.Single(same, r => r.StatusCode == HttpStatusCode.OK);
    }

    [Fact]
    public async Task Verify_RecoveryCodeOn20ChallengesInParallel_OneSuccessThenSpentAndUserNotified()
    {
        var email = await _portal.CreateUserAsync(_tenant, "rec");
        var enrolled = await _portal.EnrolAuthenticatorAsync(_tenant, "rec", email);
        await _portal.SetPolicyAsync(_tenant, t => t with { FactorPolicy = FactorPolicy.Default with { Preferred = Factor.Authenticator } });
        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add(await ChallengeAsync("rec"));
        }

        var recovery = enrolled.RecoveryCodes[3].ToUpperInvariant();
        var responses = await Task.WhenAll(ids.Select(id => _portal.VerifyWithAsync(_tenant, id, "RecoveryCode", recovery)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var status = await (await _portal.SendAsUserAsync(HttpMethod.Get, _tenant, "rec", "factors", "rec", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(9, status.GetProperty("recoveryCodesLeft").GetInt32());
        await PortalApi.AssertProblemAsync(await _portal.VerifyWithAsync(_tenant, await ChallengeAsync("rec"), "RecoveryCode", recovery), HttpStatusCode.Conflict, "recovery_code_already_used");

        var used = await _app.Infra.Mail.WaitForEmailAsync(email, m => m.Subject.StartsWith("A recovery code was used", StringComparison.Ordinal),
            TimeSpan.FromSeconds(15));
        Assert.Contains("9 of them are left", used.Text, StringComparison.Ordinal);
        Assert.Single(await AuditTypesAsync(), t => t == "RecoveryCodeUsed");
    }

    [Fact]
    public async Task Verify_WrongAnswersAcrossCodeAppAndRecoveryCode_OneLockout()
    {
        var email = await _portal.CreateUserAsync(_tenant, "lock");
        var enrolled = await _portal.EnrolAuthenticatorAsync(_tenant, "lock", email);
        _app.Time.Advance(TimeSpan.FromSeconds(30));
        var right = _portal.Totp(enrolled.Secret);
        var wrong = right == "000000" ? "000001" : "000000";

        var emailed = await ChallengeAsync("lock");
        for (var i = 0; i < 4; i++)
        {
            await PortalApi.AssertProblemAsync(await _portal.VerifyAsync(_tenant, emailed, "999999" == wrong ? "999998" : "999999"), HttpStatusCode.BadRequest, "invalid_code");
        }

        var app = await ChallengeAsync("lock");
        for (var i = 0; i < 4; i++)
        {
            await PortalApi.AssertProblemAsync(await _portal.VerifyWithAsync(_tenant, app, "Authenticator", wrong), HttpStatusCode.BadRequest, "invalid_code");
        }

        var rec = await ChallengeAsync("lock");
        await PortalApi.AssertProblemAsync(await _portal.VerifyWithAsync(_tenant, rec, "RecoveryCode", "zzzzz-zzzzz"), HttpStatusCode.BadRequest, "invalid_code");
        await PortalApi.AssertProblemAsync(await _portal.VerifyWithAsync(_tenant, rec, "RecoveryCode", "zzzzz-zzzzy"), HttpStatusCode.Locked, "account_locked");

        // Locked means locked, whichever factor is right.
        await PortalApi.AssertProblemAsync(await _portal.VerifyWithAsync(_tenant, rec, "Authenticator", right), HttpStatusCode.Locked, "account_locked");
        await PortalApi.AssertProblemAsync(await _portal.VerifyWithAsync(_tenant, rec, "RecoveryCode", enrolled.RecoveryCodes[0]), HttpStatusCode.Locked, "account_locked");
    }

    [Fact]
    public async Task Verify_MalformedOrNotOffered_400Or409AndNoAttemptCounted()
    {
        var email = await _portal.CreateUserAsync(_tenant, "bad");
        var id = await ChallengeAsync("bad");

        await PortalApi.AssertProblemAsync(await _portal.VerifyWithAsync(_tenant, id, "RecoveryCode", "12345"), HttpStatusCode.BadRequest, "invalid_recovery_code_format");
        await PortalApi.AssertProblemAsync(await _portal.VerifyWithAsync(_tenant, id, "Authenticator", "12 45"), HttpStatusCode.BadRequest, "invalid_code_format");
        await PortalApi.AssertProblemAsync(await _portal.VerifyWithAsync(_tenant, id, "Authenticator", "123456"), HttpStatusCode.Conflict, "factor_not_allowed");
        await PortalApi.AssertProblemAsync(await _portal.VerifyWithAsync(_tenant, id, "Sometimes", "123456"), HttpStatusCode.BadRequest, "invalid_request");

        var challenge = await (await _portal.Http.GetAsync($"/api/tenants/{_tenant}/challenges/{id}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(5, challenge.GetProperty("attemptsRemaining").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await _portal.VerifyAsync(_tenant, id, await _portal.ReadCodeAsync(email))).StatusCode);
    }

    [Fact]
    public async Task Enrolment_WithoutProofWrongCodeOrByAnotherActor_RefusedAndNothingActive()
    {
        var email = await _portal.CreateUserAsync(_tenant, "u2");

        await PortalApi.AssertProblemAsync(await _portal.StartEnrolmentAsync(_tenant, "u2", null), HttpStatusCode.Forbidden, "verification_required");
        await PortalApi.AssertProblemAsync(await _portal.StartEnrolmentAsync(_tenant, "u2", null, actor: "admin"), HttpStatusCode.Forbidden, "actor_forbidden");
        await PortalApi.AssertProblemAsync(await _portal.ConfirmEnrolmentAsync(_tenant, "u2", "123456"), HttpStatusCode.Conflict, "no_pending_enrolment");

        var started = await _portal.StartEnrolmentAsync(_tenant, "u2", await _portal.ProveSelfAsync(_tenant, "u2", email));
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        Assert.Equal("no-store", started.Headers.CacheControl?.ToString());
        var secret = PortalApi.SecretFromUri((await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("otpAuthUri").GetString()!);
        var right = _portal.Totp(secret);
        var wrong = right == "000000" ? "000001" : "000000";
        var refused = await _portal.ConfirmEnrolmentAsync(_tenant, "u2", wrong);
        await PortalApi.AssertProblemAsync(refused, HttpStatusCode.BadRequest, "invalid_code");
        Assert.Equal(9, (await PortalApi.ProblemAsync(refused)).GetProperty("triesLeft").GetInt32());

        var status = await (await _portal.SendAsUserAsync(HttpMethod.Get, _tenant, "u2", "factors", "admin", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(status.GetProperty("authenticatorEnrolled").GetBoolean());
        Assert.True(status.GetProperty("enrolmentPending").GetBoolean());

        // The pending secret lapses.
        _app.Time.Advance(TimeSpan.FromMinutes(11));
        await PortalApi.AssertProblemAsync(await _portal.ConfirmEnrolmentAsync(_tenant, "u2", _portal.Totp(secret)), HttpStatusCode.Conflict, "no_pending_enrolment");
    }

    [Fact]
    public async Task RegenerateRecoveryCodes_OldSetVoidNewSetWorks_UserNotifiedAndAudited()
    {
        var email = await _portal.CreateUserAsync(_tenant, "regen");
        var enrolled = await _portal.EnrolAuthenticatorAsync(_tenant, "regen", email);

        await PortalApi.AssertProblemAsync(await _portal.RegenerateRecoveryCodesAsync(_tenant, "regen", null), HttpStatusCode.Forbidden, "verification_required");
        _app.Time.Advance(TimeSpan.FromSeconds(30));
        var regenerated = await _portal.RegenerateRecoveryCodesAsync(_tenant, "regen", await _portal.ProveSelfWithAppAsync(_tenant, "regen", enrolled.Secret));
        Assert.Equal(HttpStatusCode.Created, regenerated.StatusCode);
        var body = await regenerated.Content.ReadFromJsonAsync<JsonElement>();
        var fresh = body.GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToArray();
        Assert.Equal(10, fresh.Length);
        Assert.Empty(fresh.Intersect(enrolled.RecoveryCodes));
        Assert.All(fresh, c => Assert.Contains(c, body.GetProperty("downloadText").GetString()!, StringComparison.Ordinal));
        Assert.Equal("recovery-codes.txt", body.GetProperty("downloadFileName").GetString());

        await PortalApi.AssertProblemAsync(await _portal.VerifyWithAsync(_tenant, await ChallengeAsync("regen"), "RecoveryCode", enrolled.RecoveryCodes[0]), HttpStatusCode.BadRequest, "invalid_code");
        Assert.Equal(HttpStatusCode.OK, (await _portal.VerifyWithAsync(_tenant, await ChallengeAsync("regen"), "RecoveryCode", fresh[0])).StatusCode);

        Assert.Contains(await _app.Infra.Mail.GetEmailsToAsync(email), m => m.Subject.StartsWith("New recovery codes", StringComparison.Ordinal));
        Assert.Contains("RecoveryCodesRegenerated", await AuditTypesAsync());
    }

    [Fact]
    public async Task RemoveAuthenticator_WithProof_AppAndRecoveryCodesGoAndUserNotified()
    {
        var email = await _portal.CreateUserAsync(_tenant, "rm");
        var enrolled = await _portal.EnrolAuthenticatorAsync(_tenant, "rm", email);
        _app.Time.Advance(TimeSpan.FromSeconds(30));
        var proof = await _portal.ProveSelfWithAppAsync(_tenant, "rm", enrolled.Secret);

        var removed = await _portal.SendAsUserAsync(HttpMethod.Delete, _tenant, "rm", $"authenticator?verifiedChallengeId={proof}", "rm", null);

        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        var challenge = (await _portal.SignInAsync(_tenant, "rm")).GetProperty("challenge");
        Assert.Equal(["Code"], PortalApi.Actions(challenge, "factors"));
        await PortalApi.AssertProblemAsync(await _portal.VerifyWithAsync(_tenant, challenge.GetProperty("challengeId").GetString()!, "RecoveryCode", enrolled.RecoveryCodes[0]),
            HttpStatusCode.Conflict, "factor_not_allowed");
        Assert.Contains(await _app.Infra.Mail.GetEmailsToAsync(email), m => m.Subject.StartsWith("The authenticator app was removed", StringComparison.Ordinal));
        Assert.Contains("AuthenticatorRemoved", await AuditTypesAsync());
    }

    [Fact]
    public async Task AdminReset_RemovesAuthenticatorAndRecoveryCodes_UserNotified()
    {
        var email = await _portal.CreateUserAsync(_tenant, "reset");
        await _portal.EnrolAuthenticatorAsync(_tenant, "reset", email);

        var reset = await _portal.ResetAsync(_tenant, "reset", "admin", await _portal.StepUpAsync(_tenant, "admin", $"admin.{_tenant}@example.test"));

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        var status = await (await _portal.SendAsUserAsync(HttpMethod.Get, _tenant, "reset", "factors", "admin", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(status.GetProperty("authenticatorEnrolled").GetBoolean());
        Assert.Equal(0, status.GetProperty("recoveryCodesLeft").GetInt32());
        await _app.Infra.Mail.WaitForEmailAsync(email, m => m.Subject.Contains("sign-in factors were reset", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        var types = await AuditTypesAsync();
        Assert.Contains("AuthenticatorRemoved", types);
        Assert.Contains("AdminReset", types);
    }

    [Fact]
    public async Task FactorPolicy_AppOnlyThenBack_StrengthenFreeWeakenNeedsStepUp()
    {
        var admin = new Dictionary<string, string> { ["X-Actor-Id"] = "admin" };
        var stronger = await SettingsAsync(new { factors = new { allowed = new[] { "Authenticator", "RecoveryCode" }, preferred = "Authenticator", authenticatorRequiredForAdmins = true } });
        Assert.Equal(HttpStatusCode.OK, stronger.StatusCode);
        var factors = (await stronger.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("factors");
        Assert.Equal(["Authenticator", "RecoveryCode"], PortalApi.Actions(factors, "allowed"));
        Assert.True(factors.GetProperty("authenticatorRequiredForAdmins").GetBoolean());

        // The admin has no app, and the policy now accepts only the app: no factor the admin holds can prove a weakening.
        await PortalApi.AssertProblemAsync(await SettingsAsync(new { factors = new { allowed = new[] { "Code", "Authenticator", "RecoveryCode" }, preferred = "Code" } }),
            HttpStatusCode.Conflict, "authenticator_enrolment_required");
        await PortalApi.AssertProblemAsync(await SettingsAsync(new { factors = new { allowed = new[] { "Code" }, preferred = "Authenticator" } }),
            HttpStatusCode.BadRequest, "invalid_factor_policy");

        Assert.Contains("SettingsChanged", await AuditTypesAsync());
        Assert.NotEmpty(admin);
    }

    [Fact]
    public async Task FactorPolicy_RequiredForAdmins_AdminWithAppGetsNoCodeAndWithoutOneIsToldToEnrol()
    {
        await _portal.SetPolicyAsync(_tenant, t => t with { FactorPolicy = FactorPolicy.Default with { AuthenticatorRequiredForAdmins = true } });
        var adminEmail = await _portal.CreateUserAsync(_tenant, "admin2", role: "Admin");
        await _portal.CreateUserAsync(_tenant, "plain");

        var before = await _portal.SignInAsync(_tenant, "admin2");
        Assert.True(before.GetProperty("authenticatorEnrolmentRequired").GetBoolean());
        Assert.Equal(["Code"], PortalApi.Actions(before.GetProperty("challenge"), "factors"));
        Assert.False((await _portal.SignInAsync(_tenant, "plain")).GetProperty("authenticatorEnrolmentRequired").GetBoolean());

        var enrolledAdmin = await _portal.EnrolAuthenticatorAsync(_tenant, "admin2", adminEmail);
        var after = await _portal.SignInAsync(_tenant, "admin2");
        Assert.False(after.GetProperty("authenticatorEnrolmentRequired").GetBoolean());
        Assert.Equal(["Authenticator", "RecoveryCode"], PortalApi.Actions(after.GetProperty("challenge"), "factors"));
        Assert.False(after.GetProperty("challenge").GetProperty("codeSent").GetBoolean());
        await PortalApi.AssertProblemAsync(await _portal.ResendAsync(_tenant, after.GetProperty("challenge").GetProperty("challengeId").GetString()!),
            HttpStatusCode.Conflict, "factor_not_allowed");

        // Nor can the admin drop the app while the tenant requires it.
        var proof = await _portal.ProveSelfWithAppAsync(_tenant, "admin2", enrolledAdmin.Secret, steps: 1);
        await PortalApi.AssertProblemAsync(await _portal.SendAsUserAsync(HttpMethod.Delete, _tenant, "admin2", $"authenticator?verifiedChallengeId={proof}", "admin2", null),
            HttpStatusCode.Conflict, "authenticator_required_for_admins");
    }

    [Fact]
    public async Task StepUp_AdminHeldToTheApp_ProvesWithItNoEmailAndWeakensThePolicy()
    {
        var adminEmail = await _portal.CreateUserAsync(_tenant, "admin3", role: "Admin");
        var enrolled = await _portal.EnrolAuthenticatorAsync(_tenant, "admin3", adminEmail);
        await _portal.SetPolicyAsync(_tenant, t => t with { FactorPolicy = FactorPolicy.Default with { AuthenticatorRequiredForAdmins = true } });
        _app.Time.Advance(TimeSpan.FromSeconds(30));
        var before = await _app.Infra.Mail.CountEmailsToAsync(adminEmail);

        var stepUp = await _portal.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/tenants/{_tenant}/two-factor/step-up") { Headers = { { "X-Actor-Id", "admin3" } } });
        Assert.Equal(HttpStatusCode.Created, stepUp.StatusCode);
        var challenge = await stepUp.Content.ReadFromJsonAsync<JsonElement>();

        // Recovery codes get a user in; they do not prove presence for weakening 2FA.
        Assert.Equal(["Authenticator"], PortalApi.Actions(challenge, "factors"));
        Assert.False(challenge.GetProperty("codeSent").GetBoolean());
        var id = challenge.GetProperty("challengeId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await _portal.VerifyWithAsync(_tenant, id, "Authenticator", _portal.Totp(enrolled.Secret))).StatusCode);

        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/tenants/{_tenant}/two-factor")
        {
            Content = JsonContent.Create(new { factors = new { allowed = new[] { "Code", "Authenticator", "RecoveryCode" }, preferred = "Code" }, verifiedChallengeId = id }),
        };
        request.Headers.Add("X-Actor-Id", "admin3");
        var weakened = await _portal.Http.SendAsync(request);
        Assert.True(weakened.StatusCode == HttpStatusCode.OK, await weakened.Content.ReadAsStringAsync());
        Assert.False((await weakened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("factors").GetProperty("authenticatorRequiredForAdmins").GetBoolean());
        Assert.Equal(before, await _app.Infra.Mail.CountEmailsToAsync(adminEmail));
    }

    [Fact]
    public async Task FactorRow_AtRest_HoldsNoSecretOrCodeInTheClear()
    {
        var email = await _portal.CreateUserAsync(_tenant, "rest");
        var enrolled = await _portal.EnrolAuthenticatorAsync(_tenant, "rest", email);

        var storage = _app.Services.GetRequiredService<TableStorage>();
        var row = (await storage.Factors.GetEntityAsync<TableEntity>(_tenant, "rest")).Value;
        var sealedSecret = row.GetBinary("TotpSecret");
        Assert.True(sealedSecret.AsSpan().IndexOf(enrolled.Secret) < 0);
        var text = string.Join("\n", row.Select(p => p.Value is byte[] b ? Convert.ToBase64String(b) : Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.DoesNotContain(OtpNet.Base32Encoding.ToString(enrolled.Secret).TrimEnd('='), text, StringComparison.Ordinal);
        Assert.All(enrolled.RecoveryCodes, c =>
        {
            Assert.DoesNotContain(c, text, StringComparison.Ordinal);
            Assert.DoesNotContain(c.Replace("-", "", StringComparison.Ordinal), text, StringComparison.Ordinal);
        });

        // Nor in any log line of this app so far.
        Assert.DoesNotContain(_app.Logs.Lines, l => l.Contains(OtpNet.Base32Encoding.ToString(enrolled.Secret).TrimEnd('='), StringComparison.Ordinal)
            || enrolled.RecoveryCodes.Any(c => l.Contains(c, StringComparison.Ordinal)));
        Assert.NotEmpty(_app.Logs.Lines);
    }

    [Fact]
    public async Task CrossTenant_SameUserIdElsewhere_AppCodeNotOfferedAndCopiedRowDoesNotOpen()
    {
        var email = await _portal.CreateUserAsync(_tenant, "twin");
        var enrolled = await _portal.EnrolAuthenticatorAsync(_tenant, "twin", email);
        var other = PortalApi.NewTenantId("twin");
        await _portal.CreateTenantAsync(other);
        await _portal.CreateUserAsync(other, "twin");
        _app.Time.Advance(TimeSpan.FromSeconds(30));

        // Tenant B's "twin" has no authenticator: the code of tenant A's app is not an answer there.
        var challenge = (await _portal.SignInAsync(other, "twin")).GetProperty("challenge");
        Assert.Equal(["Code"], PortalApi.Actions(challenge, "factors"));
        var id = challenge.GetProperty("challengeId").GetString()!;
        await PortalApi.AssertProblemAsync(await _portal.VerifyWithAsync(other, id, "Authenticator", _portal.Totp(enrolled.Secret)), HttpStatusCode.Conflict, "factor_not_allowed");
        await PortalApi.AssertProblemAsync(await _portal.VerifyWithAsync(other, id, "RecoveryCode", enrolled.RecoveryCodes[0]), HttpStatusCode.Conflict, "factor_not_allowed");

        // A row copied into tenant B at the storage level: the sealed secret is bound to tenant and user, so it does not
        // open, and the recovery-code hashes are bound likewise.
        var storage = _app.Services.GetRequiredService<TableStorage>();
        var row = (await storage.Factors.GetEntityAsync<TableEntity>(_tenant, "twin")).Value;
        row.PartitionKey = other;
        await storage.Factors.AddEntityAsync(row);
        var userStore = _app.Services.GetRequiredService<TwoFactorFunctions.Core.Storage.IUserStore>();
        var twin = (await userStore.GetAsync(other, "twin", CancellationToken.None))!;
        Assert.True(await userStore.TryReplaceAsync(twin with { HasFactors = true }, CancellationToken.None));
        var copied = (await _portal.SignInAsync(other, "twin")).GetProperty("challenge");
        var copiedId = copied.GetProperty("challengeId").GetString()!;
        await PortalApi.AssertProblemAsync(await _portal.VerifyWithAsync(other, copiedId, "Authenticator", _portal.Totp(enrolled.Secret)), HttpStatusCode.Conflict, "authenticator_not_enrolled");
        await PortalApi.AssertProblemAsync(await _portal.VerifyWithAsync(other, copiedId, "RecoveryCode", enrolled.RecoveryCodes[1]), HttpStatusCode.Conflict, "authenticator_not_enrolled");

        // Tenant A's user is untouched by all of it.
        Assert.Equal(HttpStatusCode.OK, (await _portal.VerifyWithAsync(_tenant, await ChallengeAsync("twin"), "Authenticator", _portal.Totp(enrolled.Secret))).StatusCode);
    }

    [Fact]
    public async Task Authenticator_NoKeyConfigured_503AndCodesStillWork()
    {
        await using var app = new TwoFactorAppFactory(services, "tfftotpoff", new Dictionary<string, string?> { ["TwoFactor:TotpEncryptionKey"] = "" });
        var portal = new PortalApi(app);
        var tenant = PortalApi.NewTenantId("off");
        await portal.CreateTenantAsync(tenant);
        var email = await portal.CreateUserAsync(tenant, "u1");

        var proof = await portal.ProveSelfAsync(tenant, "u1", email);
        await PortalApi.AssertProblemAsync(await portal.StartEnrolmentAsync(tenant, "u1", proof), HttpStatusCode.ServiceUnavailable, "authenticator_unavailable");
        var status = await (await portal.SendAsUserAsync(HttpMethod.Get, tenant, "u1", "factors", "u1", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(status.GetProperty("authenticatorAvailable").GetBoolean());

        var before = await app.Infra.Mail.CountEmailsToAsync(email);
        var id = await portal.CreateChallengeIdAsync(tenant, "u1");
        Assert.Equal(HttpStatusCode.OK, (await portal.VerifyAsync(tenant, id, await portal.ReadNextCodeAsync(email, before))).StatusCode);
    }

    private async Task<string> ChallengeAsync(string userId) =>
        (await _portal.SignInAsync(_tenant, userId)).GetProperty("challenge").GetProperty("challengeId").GetString()!;

    private Task<HttpResponseMessage> SettingsAsync(object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/tenants/{_tenant}/two-factor") { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Actor-Id", "admin");
        return _portal.Http.SendAsync(request);
    }

    private async Task<List<string>> AuditTypesAsync()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/tenants/{_tenant}/audit?pageSize=100");
        request.Headers.Add("X-Actor-Id", "admin");
        var page = await (await _portal.Http.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();
        return page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()!).ToList();
    }
}
