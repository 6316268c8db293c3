using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TwoFactorFunctions.FunctionalTests.Infrastructure;
using TwoFactorFunctions.FunctionalTests.Support;

namespace TwoFactorFunctions.FunctionalTests.SignIn;

/// <summary>
/// Signing in with a passkey on Azurite and MailDev, a software authenticator in place of the browser: each assertion
/// an attacker could bring refused (replayed, someone else's, another tenant's, from another origin, tampered, late,
/// cloned, raced), and admins held to their passkey where the tenant says so.
/// </summary>
[Collection(ServicesGroup.Name)]
public sealed class PasskeySignInTests(TestServices services) : PasskeyTestBase(services)
{
    [Fact]
    public async Task Verify_ReplayedAssertion_IsRefused()
    {
        var email = await Portal.CreateUserAsync(Tenant, "rex");
        var passkey = NewPasskey();
        await AddPasskeyAsync(Tenant, "rex", email, passkey);
        var id = await ChallengeIdAsync(Tenant, "rex");
        var assertion = passkey.Assert(await OptionsAsync(Tenant, id), Origin);
        await OkAsync(await VerifyPasskeyAsync(Tenant, id, assertion));

        // On the challenge it verified: the challenge is used.
        await PortalApi.AssertProblemAsync(await VerifyPasskeyAsync(Tenant, id, assertion), HttpStatusCode.Conflict, "challenge_already_used");

        // On a new challenge: signed over another ceremony's random challenge.
        var next = await ChallengeIdAsync(Tenant, "rex");
        await OptionsAsync(Tenant, next);
        await PortalApi.AssertProblemAsync(await VerifyPasskeyAsync(Tenant, next, assertion), HttpStatusCode.BadRequest, "passkey_not_accepted");
    }

    [Fact]
    public async Task Verify_AnotherUsersPasskey_IsRefused()
    {
        var maryEmail = await Portal.CreateUserAsync(Tenant, "mary");
        var bobEmail = await Portal.CreateUserAsync(Tenant, "bob");
        var marys = NewPasskey();
        var bobs = NewPasskey();
        await AddPasskeyAsync(Tenant, "mary", maryEmail, marys);
        await AddPasskeyAsync(Tenant, "bob", bobEmail, bobs);

        // Bob signs a good assertion over Mary's ceremony, with and without his user handle.
        var id = await ChallengeIdAsync(Tenant, "mary");
        var options = await OptionsAsync(Tenant, id);
        Assert.False(bobs.IsAllowedBy(options));
        var refused = await VerifyPasskeyAsync(Tenant, id, bobs.Assert(options, Origin));
        await PortalApi.AssertProblemAsync(refused, HttpStatusCode.BadRequest, "passkey_not_accepted");
        Assert.Equal(4, (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("triesLeft").GetInt32());
        await PortalApi.AssertProblemAsync(await VerifyPasskeyAsync(Tenant, id, bobs.Assert(options, Origin, includeUserHandle: false)), HttpStatusCode.BadRequest,
            "passkey_not_accepted");

        // Even where the ceremony lists no credential (discoverable), Bob's passkey does not sign Mary in.
        var discoverable = await OptionsAsync(Tenant, id, discoverable: true);
        Assert.Empty(discoverable.GetProperty("allowCredentials").EnumerateArray());
        await PortalApi.AssertProblemAsync(await VerifyPasskeyAsync(Tenant, id, bobs.Assert(discoverable, Origin)), HttpStatusCode.BadRequest, "passkey_not_accepted");
        await OkAsync(await VerifyPasskeyAsync(Tenant, id, marys.Assert(discoverable, Origin)));
    }

    [Fact]
    public async Task Verify_AnotherTenantsPasskey_IsRefused()
    {
        // The same user id in two companies; the passkey was registered in the other one.
        var email = await Portal.CreateUserAsync(Tenant, "sam");
        await AddPasskeyAsync(Tenant, "sam", email, NewPasskey());
        var otherTenant = await NewTenantAsync();
        var otherEmail = await Portal.CreateUserAsync(otherTenant, "sam");
        var elsewhere = NewPasskey();
        await AddPasskeyAsync(otherTenant, "sam", otherEmail, elsewhere);

        var id = await ChallengeIdAsync(Tenant, "sam");
        await PortalApi.AssertProblemAsync(await VerifyPasskeyAsync(Tenant, id, elsewhere.Assert(await OptionsAsync(Tenant, id), Origin)), HttpStatusCode.BadRequest,
            "passkey_not_accepted");
        await PortalApi.AssertProblemAsync(await VerifyPasskeyAsync(Tenant, id, elsewhere.Assert(await OptionsAsync(Tenant, id, discoverable: true), Origin)),
            HttpStatusCode.BadRequest, "passkey_not_accepted");
        await OkAsync(await SignInWithAsync(otherTenant, "sam", elsewhere));
    }

    [Fact]
    public async Task Verify_WrongOriginTamperedOrUnverified_RefusedAndCountedAsWrongAnswers()
    {
        var email = await Portal.CreateUserAsync(Tenant, "tim");
        var passkey = NewPasskey();
        await AddPasskeyAsync(Tenant, "tim", email, passkey);
        var id = await ChallengeIdAsync(Tenant, "tim");
        var options = await OptionsAsync(Tenant, id);

        await PortalApi.AssertProblemAsync(await VerifyPasskeyAsync(Tenant, id, passkey.Assert(options, "https://portal.example.evil")), HttpStatusCode.BadRequest, "passkey_not_accepted");
        await PortalApi.AssertProblemAsync(await VerifyPasskeyAsync(Tenant, id, passkey.Assert(options, Origin, tamperSignature: true)), HttpStatusCode.BadRequest, "passkey_not_accepted");
        await PortalApi.AssertProblemAsync(await VerifyPasskeyAsync(Tenant, id, passkey.Assert(options, Origin, userVerified: false)), HttpStatusCode.BadRequest, "passkey_not_accepted");
        var last = await VerifyPasskeyAsync(Tenant, id, passkey.Assert(options, Origin, userPresent: false));
        await PortalApi.AssertProblemAsync(last, HttpStatusCode.BadRequest, "passkey_not_accepted");
        Assert.Equal(1, (await last.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("triesLeft").GetInt32());

        var challenge = await (await Portal.Http.GetAsync($"/api/tenants/{Tenant}/challenges/{id}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, challenge.GetProperty("attemptsRemaining").GetInt32());
        await OkAsync(await VerifyPasskeyAsync(Tenant, id, passkey.Assert(options, Origin)));
    }

    [Fact]
    public async Task Verify_GarbledAssertion_RefusedNever500()
    {
        var email = await Portal.CreateUserAsync(Tenant, "gil");
        var passkey = NewPasskey();
        await AddPasskeyAsync(Tenant, "gil", email, passkey);
        var id = await ChallengeIdAsync(Tenant, "gil");
        var options = await OptionsAsync(Tenant, id);

        // Not a credential at all: malformed, not an answer, so no try is spent.
        var none = await Portal.Http.PostAsJsonAsync($"/api/tenants/{Tenant}/challenges/{id}/verify", new { factor = "Passkey", credential = "AAAA" });
        await PortalApi.AssertProblemAsync(none, HttpStatusCode.BadRequest, "invalid_passkey_credential");

        // This user's credential id over unreadable authenticator data or client data: an answer that does not verify.
        var shortData = passkey.Assert(options, Origin);
        shortData["response"]!["authenticatorData"] = "AAAA";
        await PortalApi.AssertProblemAsync(await VerifyPasskeyAsync(Tenant, id, shortData), HttpStatusCode.BadRequest, "passkey_not_accepted");
        var notJson = passkey.Assert(options, Origin);
        notJson["response"]!["clientDataJSON"] = "bm90IGpzb24";
        await PortalApi.AssertProblemAsync(await VerifyPasskeyAsync(Tenant, id, notJson), HttpStatusCode.BadRequest, "passkey_not_accepted");

        var challenge = await (await Portal.Http.GetAsync($"/api/tenants/{Tenant}/challenges/{id}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, challenge.GetProperty("attemptsRemaining").GetInt32());

        // And a garbled attestation when adding one.
        var ceremony = await StartRegistrationAsync(Tenant, "gil", email, prover: passkey);
        var garbled = NewPasskey().Register(ceremony.GetProperty("publicKey"), Origin);
        garbled["response"]!["attestationObject"] = "oWNmbXRkbm9uZQ";
        await PortalApi.AssertProblemAsync(await CompleteRegistrationAsync(Tenant, "gil", ceremony.GetProperty("ceremonyId").GetString()!, garbled),
            HttpStatusCode.BadRequest, "passkey_registration_failed");
    }

    [Fact]
    public async Task Verify_BeforeOptionsOrAfterTheChallengeExpired_IsRefused()
    {
        var email = await Portal.CreateUserAsync(Tenant, "una");
        var passkey = NewPasskey();
        await AddPasskeyAsync(Tenant, "una", email, passkey);
        var id = await ChallengeIdAsync(Tenant, "una");

        // An assertion over options of another challenge, sent before this one asked for any.
        var elsewhere = await ChallengeIdAsync(Tenant, "una");
        var early = passkey.Assert(await OptionsAsync(Tenant, elsewhere), Origin);
        await PortalApi.AssertProblemAsync(await VerifyPasskeyAsync(Tenant, id, early), HttpStatusCode.Conflict, "passkey_options_not_requested");

        var options = await OptionsAsync(Tenant, id);
        App.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        await PortalApi.AssertProblemAsync(await VerifyPasskeyAsync(Tenant, id, passkey.Assert(options, Origin)), HttpStatusCode.Gone, "challenge_expired");
    }

    [Fact]
    public async Task Verify_CounterGoesBackwards_409CounterRegressedAndAuditedAsAClone()
    {
        var email = await Portal.CreateUserAsync(Tenant, "vic");
        var passkey = NewPasskey(counter: 10);
        await AddPasskeyAsync(Tenant, "vic", email, passkey);
        await OkAsync(await SignInWithAsync(Tenant, "vic", passkey, counter: 20));

        // A clone of the key, behind the original: same key, same credential, an older counter.
        await PortalApi.AssertProblemAsync(await SignInWithAsync(Tenant, "vic", passkey, counter: 15), HttpStatusCode.Conflict, "passkey_counter_regressed");
        Assert.Single(await AuditTypesAsync(Tenant), t => t == "PasskeyCloneSuspected");

        // The same counter again, freshly signed over another ceremony: no replay can do that (it signs the new
        // challenge), so another copy of the key is signing too.
        await PortalApi.AssertProblemAsync(await SignInWithAsync(Tenant, "vic", passkey, counter: 20), HttpStatusCode.Conflict, "passkey_counter_regressed");
        Assert.Equal(2, (await AuditTypesAsync(Tenant)).Count(t => t == "PasskeyCloneSuspected"));

        await OkAsync(await SignInWithAsync(Tenant, "vic", passkey, counter: 21));
    }

    [Fact]
    public async Task Verify_SameAssertion20TimesInParallel_ExactlyOneSuccess()
    {
        var email = await Portal.CreateUserAsync(Tenant, "wes");
        var passkey = NewPasskey();
        await AddPasskeyAsync(Tenant, "wes", email, passkey);
        var id = await ChallengeIdAsync(Tenant, "wes");
        var assertion = passkey.Assert(await OptionsAsync(Tenant, id), Origin);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => VerifyPasskeyAsync(Tenant, id, assertion)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
    }

    [Fact]
    public async Task StepUp_AdminHeldToPasskeys_OnlyPasskeyOfferedAndACodeCannotFinishIt()
    {
        // The admin turning the rule on must hold a passkey: otherwise no later change of the policy could be proven.
        var on = new { allowed = new[] { "Code", "Authenticator", "RecoveryCode", "Passkey" }, preferred = "Code", phishingResistantRequiredForAdmins = true };
        await PortalApi.AssertProblemAsync(await SettingsAsync(new { factors = on }), HttpStatusCode.Conflict, "passkey_required_first");
        var passkey = NewPasskey();
        await AddPasskeyAsync(Tenant, "admin", AdminEmail, passkey);
        var tightened = await SettingsAsync(new { factors = on });
        Assert.True(tightened.StatusCode == HttpStatusCode.OK, await tightened.Content.ReadAsStringAsync());
        var before = await App.Infra.Mail.CountEmailsToAsync(AdminEmail);

        var decision = await Portal.SignInAsync(Tenant, "admin");
        Assert.Equal(["Passkey"], PortalApi.Actions(decision.GetProperty("challenge"), "factors"));
        Assert.False(decision.GetProperty("challenge").GetProperty("codeSent").GetBoolean());

        var stepUp = await Portal.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/tenants/{Tenant}/two-factor/step-up") { Headers = { { "X-Actor-Id", "admin" } } });
        Assert.Equal(HttpStatusCode.Created, stepUp.StatusCode);
        var challenge = await stepUp.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["Passkey"], PortalApi.Actions(challenge, "factors"));
        Assert.False(challenge.GetProperty("codeSent").GetBoolean());
        var id = challenge.GetProperty("challengeId").GetString()!;
        await PortalApi.AssertProblemAsync(await Portal.ResendAsync(Tenant, id), HttpStatusCode.Conflict, "factor_not_allowed");
        await PortalApi.AssertProblemAsync(await Portal.VerifyAsync(Tenant, id, "123456"), HttpStatusCode.Conflict, "factor_not_allowed");
        Assert.Equal(before, await App.Infra.Mail.CountEmailsToAsync(AdminEmail));

        await OkAsync(await VerifyPasskeyAsync(Tenant, id, passkey.Assert(await OptionsAsync(Tenant, id), Origin)));

        // Turning the rule off is a weakening: refused without the step-up, done with the one the passkey answered.
        var off = new { allowed = new[] { "Code", "Authenticator", "RecoveryCode", "Passkey" }, preferred = "Code", phishingResistantRequiredForAdmins = false };
        await PortalApi.AssertProblemAsync(await SettingsAsync(new { factors = off }), HttpStatusCode.Forbidden, "verification_required");
        var weakened = await SettingsAsync(new { factors = off, verifiedChallengeId = id });
        Assert.True(weakened.StatusCode == HttpStatusCode.OK, await weakened.Content.ReadAsStringAsync());
        Assert.False((await weakened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("factors").GetProperty("phishingResistantRequiredForAdmins").GetBoolean());
    }

    [Fact]
    public async Task SignIn_AdminWithoutAPasskeyUnderTheRule_CodeLetsThemInAndTheyAreToldToAddOne()
    {
        var email = await Portal.CreateUserAsync(Tenant, "admin2", role: "Admin");
        var plain = await Portal.CreateUserAsync(Tenant, "plain");
        await Portal.SetPolicyAsync(Tenant, t => t with { FactorPolicy = t.FactorPolicy with { PhishingResistantRequiredForAdmins = true } });

        var verified = await OkAsync(await Portal.VerifyAsync(Tenant, await ChallengeIdAsync(Tenant, "admin2"), await Portal.ReadNextCodeAsync(email, 0)));
        Assert.True(verified.GetProperty("passkeyEnrolmentRequired").GetBoolean());
        var user = await OkAsync(await Portal.VerifyAsync(Tenant, await ChallengeIdAsync(Tenant, "plain"), await Portal.ReadNextCodeAsync(plain, 0)));
        Assert.False(user.GetProperty("passkeyEnrolmentRequired").GetBoolean());

        // The sign-in decision says so too, before the code is typed.
        var decision = await Portal.SignInAsync(Tenant, "admin2");
        Assert.Equal(["Code"], PortalApi.Actions(decision.GetProperty("challenge"), "factors"));
        Assert.True(decision.TryGetProperty("passkeyEnrolmentRequired", out var required), "No passkeyEnrolmentRequired on the decision: " + decision);
        Assert.True(required.GetBoolean());
    }
}
