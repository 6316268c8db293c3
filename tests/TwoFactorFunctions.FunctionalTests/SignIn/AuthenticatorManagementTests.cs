using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.FunctionalTests.Infrastructure;
using TwoFactorFunctions.FunctionalTests.Support;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.FunctionalTests.SignIn;

/// <summary>Enrolling, regenerating, removing and resetting an authenticator app, the factor policy, and the rows at rest.</summary>
[Collection(ServicesGroup.Name)]
public sealed class AuthenticatorManagementTests(TestServices services) : AuthenticatorTestBase(services)
{
    [Fact]
    public async Task Enrolment_WithoutProofWrongCodeOrByAnotherActor_RefusedAndNothingActive()
    {
        var email = await Portal.CreateUserAsync(Tenant, "u2");

        await PortalApi.AssertProblemAsync(await Portal.StartEnrolmentAsync(Tenant, "u2", null), HttpStatusCode.Forbidden, "verification_required");
        await PortalApi.AssertProblemAsync(await Portal.StartEnrolmentAsync(Tenant, "u2", null, actor: "admin"), HttpStatusCode.Forbidden, "actor_forbidden");
        await PortalApi.AssertProblemAsync(await Portal.ConfirmEnrolmentAsync(Tenant, "u2", "123456"), HttpStatusCode.Conflict, "no_pending_enrolment");

        var started = await Portal.StartEnrolmentAsync(Tenant, "u2", await Portal.ProveSelfAsync(Tenant, "u2", email));
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        Assert.Equal("no-store", started.Headers.CacheControl?.ToString());
        var secret = PortalApi.SecretFromUri((await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("otpAuthUri").GetString()!);
        var right = Portal.Totp(secret);
        var wrong = right == "000000" ? "000001" : "000000";
        var refused = await Portal.ConfirmEnrolmentAsync(Tenant, "u2", wrong);
        await PortalApi.AssertProblemAsync(refused, HttpStatusCode.BadRequest, "invalid_code");
        Assert.Equal(9, (await PortalApi.ProblemAsync(refused)).GetProperty("triesLeft").GetInt32());

        var status = await (await Portal.SendAsUserAsync(HttpMethod.Get, Tenant, "u2", "factors", "admin", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(status.GetProperty("authenticatorEnrolled").GetBoolean());
        Assert.True(status.GetProperty("enrolmentPending").GetBoolean());

        // The pending secret lapses.
        App.Time.Advance(TimeSpan.FromMinutes(11));
        await PortalApi.AssertProblemAsync(await Portal.ConfirmEnrolmentAsync(Tenant, "u2", Portal.Totp(secret)), HttpStatusCode.Conflict, "no_pending_enrolment");
    }

    [Fact]
    public async Task RegenerateRecoveryCodes_OldSetVoidNewSetWorks_UserNotifiedAndAudited()
    {
        var email = await Portal.CreateUserAsync(Tenant, "regen");
        var enrolled = await Portal.EnrolAuthenticatorAsync(Tenant, "regen", email);

        await PortalApi.AssertProblemAsync(await Portal.RegenerateRecoveryCodesAsync(Tenant, "regen", null), HttpStatusCode.Forbidden, "verification_required");
        App.Time.Advance(TimeSpan.FromSeconds(30));
        var regenerated = await Portal.RegenerateRecoveryCodesAsync(Tenant, "regen", await Portal.ProveSelfWithAppAsync(Tenant, "regen", enrolled.Secret));
        Assert.Equal(HttpStatusCode.Created, regenerated.StatusCode);
        var body = await regenerated.Content.ReadFromJsonAsync<JsonElement>();
        var fresh = body.GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToArray();
        Assert.Equal(10, fresh.Length);
        Assert.Empty(fresh.Intersect(enrolled.RecoveryCodes));
        Assert.All(fresh, c => Assert.Contains(c, body.GetProperty("downloadText").GetString()!, StringComparison.Ordinal));
        Assert.Equal("recovery-codes.txt", body.GetProperty("downloadFileName").GetString());

        await PortalApi.AssertProblemAsync(await Portal.VerifyWithAsync(Tenant, await ChallengeAsync("regen"), "RecoveryCode", enrolled.RecoveryCodes[0]), HttpStatusCode.BadRequest, "invalid_code");
        Assert.Equal(HttpStatusCode.OK, (await Portal.VerifyWithAsync(Tenant, await ChallengeAsync("regen"), "RecoveryCode", fresh[0])).StatusCode);

        Assert.Contains(await App.Infra.Mail.GetEmailsToAsync(email), m => m.Subject.StartsWith("New recovery codes", StringComparison.Ordinal));
        Assert.Contains("RecoveryCodesRegenerated", await AuditTypesAsync());
    }

    [Fact]
    public async Task RemoveAuthenticator_WithProof_AppAndRecoveryCodesGoAndUserNotified()
    {
        var email = await Portal.CreateUserAsync(Tenant, "rm");
        var enrolled = await Portal.EnrolAuthenticatorAsync(Tenant, "rm", email);
        App.Time.Advance(TimeSpan.FromSeconds(30));
        var proof = await Portal.ProveSelfWithAppAsync(Tenant, "rm", enrolled.Secret);

        var removed = await Portal.SendAsUserAsync(HttpMethod.Delete, Tenant, "rm", $"authenticator?verifiedChallengeId={proof}", "rm", null);

        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        var challenge = (await Portal.SignInAsync(Tenant, "rm")).GetProperty("challenge");
        Assert.Equal(["Code"], PortalApi.Actions(challenge, "factors"));
        await PortalApi.AssertProblemAsync(await Portal.VerifyWithAsync(Tenant, challenge.GetProperty("challengeId").GetString()!, "RecoveryCode", enrolled.RecoveryCodes[0]),
            HttpStatusCode.Conflict, "factor_not_allowed");
        Assert.Contains(await App.Infra.Mail.GetEmailsToAsync(email), m => m.Subject.StartsWith("The authenticator app was removed", StringComparison.Ordinal));
        Assert.Contains("AuthenticatorRemoved", await AuditTypesAsync());
    }

    [Fact]
    public async Task AdminReset_RemovesAuthenticatorAndRecoveryCodes_UserNotified()
    {
        var email = await Portal.CreateUserAsync(Tenant, "reset");
        await Portal.EnrolAuthenticatorAsync(Tenant, "reset", email);

        var reset = await Portal.ResetAsync(Tenant, "reset", "admin", await Portal.StepUpAsync(Tenant, "admin", $"admin.{Tenant}@example.test"));

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        var status = await (await Portal.SendAsUserAsync(HttpMethod.Get, Tenant, "reset", "factors", "admin", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(status.GetProperty("authenticatorEnrolled").GetBoolean());
        Assert.Equal(0, status.GetProperty("recoveryCodesLeft").GetInt32());
        await App.Infra.Mail.WaitForEmailAsync(email, m => m.Subject.Contains("sign-in factors were reset", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
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
        await Portal.SetPolicyAsync(Tenant, t => t with { FactorPolicy = FactorPolicy.Default with { AuthenticatorRequiredForAdmins = true } });
        var adminEmail = await Portal.CreateUserAsync(Tenant, "admin2", role: "Admin");
        await Portal.CreateUserAsync(Tenant, "plain");

        var before = await Portal.SignInAsync(Tenant, "admin2");
        Assert.True(before.GetProperty("authenticatorEnrolmentRequired").GetBoolean());
        Assert.Equal(["Code"], PortalApi.Actions(before.GetProperty("challenge"), "factors"));
        Assert.False((await Portal.SignInAsync(Tenant, "plain")).GetProperty("authenticatorEnrolmentRequired").GetBoolean());

        var enrolledAdmin = await Portal.EnrolAuthenticatorAsync(Tenant, "admin2", adminEmail);
        var after = await Portal.SignInAsync(Tenant, "admin2");
        Assert.False(after.GetProperty("authenticatorEnrolmentRequired").GetBoolean());
        Assert.Equal(["Authenticator", "RecoveryCode"], PortalApi.Actions(after.GetProperty("challenge"), "factors"));
        Assert.False(after.GetProperty("challenge").GetProperty("codeSent").GetBoolean());
        await PortalApi.AssertProblemAsync(await Portal.ResendAsync(Tenant, after.GetProperty("challenge").GetProperty("challengeId").GetString()!),
            HttpStatusCode.Conflict, "factor_not_allowed");

        // Nor can the admin drop the app while the tenant requires it.
        var proof = await Portal.ProveSelfWithAppAsync(Tenant, "admin2", enrolledAdmin.Secret, steps: 1);
        await PortalApi.AssertProblemAsync(await Portal.SendAsUserAsync(HttpMethod.Delete, Tenant, "admin2", $"authenticator?verifiedChallengeId={proof}", "admin2", null),
            HttpStatusCode.Conflict, "authenticator_required_for_admins");
    }

    [Fact]
    public async Task StepUp_AdminHeldToTheApp_ProvesWithItNoEmailAndWeakensThePolicy()
    {
        var adminEmail = await Portal.CreateUserAsync(Tenant, "admin3", role: "Admin");
        var enrolled = await Portal.EnrolAuthenticatorAsync(Tenant, "admin3", adminEmail);
        await Portal.SetPolicyAsync(Tenant, t => t with { FactorPolicy = FactorPolicy.Default with { AuthenticatorRequiredForAdmins = true } });
        App.Time.Advance(TimeSpan.FromSeconds(30));
        var before = await App.Infra.Mail.CountEmailsToAsync(adminEmail);

        var stepUp = await Portal.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/tenants/{Tenant}/two-factor/step-up") { Headers = { { "X-Actor-Id", "admin3" } } });
        Assert.Equal(HttpStatusCode.Created, stepUp.StatusCode);
        var challenge = await stepUp.Content.ReadFromJsonAsync<JsonElement>();

        // Recovery codes get a user in; they do not prove presence for weakening 2FA.
        Assert.Equal(["Authenticator"], PortalApi.Actions(challenge, "factors"));
        Assert.False(challenge.GetProperty("codeSent").GetBoolean());
        var id = challenge.GetProperty("challengeId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await Portal.VerifyWithAsync(Tenant, id, "Authenticator", Portal.Totp(enrolled.Secret))).StatusCode);

        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/tenants/{Tenant}/two-factor")
        {
            Content = JsonContent.Create(new { factors = new { allowed = new[] { "Code", "Authenticator", "RecoveryCode" }, preferred = "Code" }, verifiedChallengeId = id }),
        };
        request.Headers.Add("X-Actor-Id", "admin3");
        var weakened = await Portal.Http.SendAsync(request);
        Assert.True(weakened.StatusCode == HttpStatusCode.OK, await weakened.Content.ReadAsStringAsync());
        Assert.False((await weakened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("factors").GetProperty("authenticatorRequiredForAdmins").GetBoolean());
        Assert.Equal(before, await App.Infra.Mail.CountEmailsToAsync(adminEmail));
    }

    [Fact]
    public async Task FactorRow_AtRest_HoldsNoSecretOrCodeInTheClear()
    {
        var email = await Portal.CreateUserAsync(Tenant, "rest");
        var enrolled = await Portal.EnrolAuthenticatorAsync(Tenant, "rest", email);

        var storage = App.Services.GetRequiredService<TableStorage>();
        var row = (await storage.Factors.GetEntityAsync<TableEntity>(Tenant, "rest")).Value;
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
        Assert.DoesNotContain(App.Logs.Lines, l => l.Contains(OtpNet.Base32Encoding.ToString(enrolled.Secret).TrimEnd('='), StringComparison.Ordinal)
            || enrolled.RecoveryCodes.Any(c => l.Contains(c, StringComparison.Ordinal)));
        Assert.NotEmpty(App.Logs.Lines);
    }

    [Fact]
    public async Task CrossTenant_SameUserIdElsewhere_AppCodeNotOfferedAndCopiedRowDoesNotOpen()
    {
        var email = await Portal.CreateUserAsync(Tenant, "twin");
        var enrolled = await Portal.EnrolAuthenticatorAsync(Tenant, "twin", email);
        var other = PortalApi.NewTenantId("twin");
        await Portal.CreateTenantAsync(other);
        await Portal.CreateUserAsync(other, "twin");
        App.Time.Advance(TimeSpan.FromSeconds(30));

        // Tenant B's "twin" has no authenticator: the code of tenant A's app is not an answer there.
        var challenge = (await Portal.SignInAsync(other, "twin")).GetProperty("challenge");
        Assert.Equal(["Code"], PortalApi.Actions(challenge, "factors"));
        var id = challenge.GetProperty("challengeId").GetString()!;
        await PortalApi.AssertProblemAsync(await Portal.VerifyWithAsync(other, id, "Authenticator", Portal.Totp(enrolled.Secret)), HttpStatusCode.Conflict, "factor_not_allowed");
        await PortalApi.AssertProblemAsync(await Portal.VerifyWithAsync(other, id, "RecoveryCode", enrolled.RecoveryCodes[0]), HttpStatusCode.Conflict, "factor_not_allowed");

        // A row copied into tenant B at the storage level: the sealed secret is bound to tenant and user, so it does not
        // open, and the recovery-code hashes are bound likewise.
        var storage = App.Services.GetRequiredService<TableStorage>();
        var row = (await storage.Factors.GetEntityAsync<TableEntity>(Tenant, "twin")).Value;
        row.PartitionKey = other;
        await storage.Factors.AddEntityAsync(row);
        var userStore = App.Services.GetRequiredService<TwoFactorFunctions.Core.Storage.IUserStore>();
        var twin = (await userStore.GetAsync(other, "twin", CancellationToken.None))!;
        Assert.True(await userStore.TryReplaceAsync(twin with { HasFactors = true }, CancellationToken.None));
        var copied = (await Portal.SignInAsync(other, "twin")).GetProperty("challenge");
        var copiedId = copied.GetProperty("challengeId").GetString()!;
        await PortalApi.AssertProblemAsync(await Portal.VerifyWithAsync(other, copiedId, "Authenticator", Portal.Totp(enrolled.Secret)), HttpStatusCode.Conflict, "authenticator_not_enrolled");
        await PortalApi.AssertProblemAsync(await Portal.VerifyWithAsync(other, copiedId, "RecoveryCode", enrolled.RecoveryCodes[1]), HttpStatusCode.Conflict, "authenticator_not_enrolled");

        // Tenant A's user is untouched by all of it.
        Assert.Equal(HttpStatusCode.OK, (await Portal.VerifyWithAsync(Tenant, await ChallengeAsync("twin"), "Authenticator", Portal.Totp(enrolled.Secret))).StatusCode);
    }

    [Fact]
    public async Task Authenticator_NoKeyConfigured_503AndCodesStillWork()
    {
        await using var app = new TwoFactorAppFactory(Services, "tfftotpoff", new Dictionary<string, string?> { ["TwoFactor:TotpEncryptionKey"] = "" });
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
}
