using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.FunctionalTests.Infrastructure;
using TwoFactorFunctions.FunctionalTests.Support;

namespace TwoFactorFunctions.FunctionalTests.SignIn;

/// <summary>Signing in with an authenticator app or a recovery code: replays, parallel use, lockout across factors.</summary>
[Collection(ServicesGroup.Name)]
public sealed class AuthenticatorSignInTests(TestServices services) : AuthenticatorTestBase(services)
{
    [Fact]
    public async Task Enrol_SecretReadBackFromTheQrsUri_SignsInWithTheApp()
    {
        var email = await Portal.CreateUserAsync(Tenant, "mary");

        var enrolled = await Portal.EnrolAuthenticatorAsync(Tenant, "mary", email);

        // The QR code is exactly the QR of the URI the secret was read from.
        Assert.StartsWith("data:image/png;base64,iVBORw0KGgo", enrolled.QrCodePng, StringComparison.Ordinal);
        Assert.Equal(QrCodes.PngDataUri(enrolled.OtpAuthUri), enrolled.QrCodePng);
        Assert.StartsWith("otpauth://totp/Acme%20Portal:", enrolled.OtpAuthUri, StringComparison.Ordinal);
        Assert.Equal(20, enrolled.Secret.Length);
        Assert.Equal(10, enrolled.RecoveryCodes.Distinct().Count());

        var status = await (await Portal.SendAsUserAsync(HttpMethod.Get, Tenant, "mary", "factors", "mary", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(status.GetProperty("authenticatorEnrolled").GetBoolean());
        Assert.Equal(10, status.GetProperty("recoveryCodesLeft").GetInt32());
        Assert.DoesNotContain("secret", status.GetRawText(), StringComparison.OrdinalIgnoreCase);

        App.Time.Advance(TimeSpan.FromSeconds(30));
        var decision = await Portal.SignInAsync(Tenant, "mary");
        var challenge = decision.GetProperty("challenge");
        Assert.Equal(["Code", "Authenticator", "RecoveryCode"], PortalApi.Actions(challenge, "factors"));
        Assert.Equal("Code", challenge.GetProperty("preferredFactor").GetString());

        var verified = await Portal.VerifyWithAsync(Tenant, challenge.GetProperty("challengeId").GetString()!, "Authenticator", Portal.Totp(enrolled.Secret));
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.Equal("Verified", (await verified.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("challenge").GetProperty("status").GetString());

        var notices = await App.Infra.Mail.GetEmailsToAsync(email);
        Assert.Contains(notices, m => m.Subject.Contains("An authenticator app was added", StringComparison.Ordinal));
        Assert.Contains("AuthenticatorEnrolled", await AuditTypesAsync());
    }

    [Fact]
    public async Task SignIn_AuthenticatorPreferred_NoEmailSentAndCodeStillOnRequest()
    {
        var email = await Portal.CreateUserAsync(Tenant, "u1");
        var enrolled = await Portal.EnrolAuthenticatorAsync(Tenant, "u1", email);
        await Portal.SetPolicyAsync(Tenant, t => t with { FactorPolicy = FactorPolicy.Default with { Preferred = Factor.Authenticator } });
        App.Time.Advance(TimeSpan.FromSeconds(30));
        var before = await App.Infra.Mail.CountEmailsToAsync(email);

        var challenge = (await Portal.SignInAsync(Tenant, "u1")).GetProperty("challenge");

        Assert.False(challenge.GetProperty("codeSent").GetBoolean());
        Assert.Equal("Authenticator", challenge.GetProperty("preferredFactor").GetString());
        var id = challenge.GetProperty("challengeId").GetString()!;
        await PortalApi.AssertProblemAsync(await Portal.VerifyAsync(Tenant, id, "123456"), HttpStatusCode.Conflict, "code_not_sent");
        Assert.Equal(HttpStatusCode.OK, (await Portal.ResendAsync(Tenant, id)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Portal.VerifyAsync(Tenant, id, await Portal.ReadNextCodeAsync(email, before))).StatusCode);
        Assert.NotNull(enrolled);
    }

    [Fact]
    public async Task Verify_AppCodeTwoStepsOff_RefusedAndOneStepOff_Accepted()
    {
        var email = await Portal.CreateUserAsync(Tenant, "drift");
        var enrolled = await Portal.EnrolAuthenticatorAsync(Tenant, "drift", email);
        App.Time.Advance(TimeSpan.FromMinutes(2));

        var id = await ChallengeAsync("drift");
        await PortalApi.AssertProblemAsync(await Portal.VerifyWithAsync(Tenant, id, "Authenticator", Portal.Totp(enrolled.Secret, -2)), HttpStatusCode.BadRequest, "invalid_code");
        await PortalApi.AssertProblemAsync(await Portal.VerifyWithAsync(Tenant, id, "Authenticator", Portal.Totp(enrolled.Secret, +2)), HttpStatusCode.BadRequest, "invalid_code");
        Assert.Equal(HttpStatusCode.OK, (await Portal.VerifyWithAsync(Tenant, id, "Authenticator", Portal.Totp(enrolled.Secret, -1))).StatusCode);

        App.Time.Advance(TimeSpan.FromSeconds(90));
        var next = await ChallengeAsync("drift");
        Assert.Equal(HttpStatusCode.OK, (await Portal.VerifyWithAsync(Tenant, next, "Authenticator", Portal.Totp(enrolled.Secret, +1))).StatusCode);
    }

    [Fact]
    public async Task Verify_SameAppCodeOnASecondChallenge_RefusedAsReplay()
    {
        var email = await Portal.CreateUserAsync(Tenant, "u1");
        var enrolled = await Portal.EnrolAuthenticatorAsync(Tenant, "u1", email);
        App.Time.Advance(TimeSpan.FromSeconds(30));
        var code = Portal.Totp(enrolled.Secret);

        Assert.Equal(HttpStatusCode.OK, (await Portal.VerifyWithAsync(Tenant, await ChallengeAsync("u1"), "Authenticator", code)).StatusCode);
        await PortalApi.AssertProblemAsync(await Portal.VerifyWithAsync(Tenant, await ChallengeAsync("u1"), "Authenticator", code), HttpStatusCode.Conflict, "code_already_used");

        // An earlier step inside the drift window is also spent once a later one was accepted.
        await PortalApi.AssertProblemAsync(await Portal.VerifyWithAsync(Tenant, await ChallengeAsync("u1"), "Authenticator", Portal.Totp(enrolled.Secret, -1)),
            HttpStatusCode.Conflict, "code_already_used");
    }

    [Fact]
    public async Task Verify_SameAppCodeOn20ChallengesInParallel_ExactlyOneSuccess()
    {
        var email = await Portal.CreateUserAsync(Tenant, "par");
        var enrolled = await Portal.EnrolAuthenticatorAsync(Tenant, "par", email);
        await Portal.SetPolicyAsync(Tenant, t => t with { FactorPolicy = FactorPolicy.Default with { Preferred = Factor.Authenticator } });
        App.Time.Advance(TimeSpan.FromSeconds(30));
        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add(await ChallengeAsync("par"));
        }

        var code = Portal.Totp(enrolled.Secret);
        var responses = await Task.WhenAll(ids.Select(id => Portal.VerifyWithAsync(Tenant, id, "Authenticator", code)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));

        // And 20 in parallel on one challenge: one success, the rest see the challenge used.
        App.Time.Advance(TimeSpan.FromSeconds(30));
        var one = await ChallengeAsync("par");
        var next = Portal.Totp(enrolled.Secret);
        var same = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Portal.VerifyWithAsync(Tenant, one, "Authenticator", next)));
        Assert.Single(same, r => r.StatusCode == HttpStatusCode.OK);
    }

    [Fact]
    public async Task Verify_RecoveryCodeOn20ChallengesInParallel_OneSuccessThenSpentAndUserNotified()
    {
        var email = await Portal.CreateUserAsync(Tenant, "rec");
        var enrolled = await Portal.EnrolAuthenticatorAsync(Tenant, "rec", email);
        await Portal.SetPolicyAsync(Tenant, t => t with { FactorPolicy = FactorPolicy.Default with { Preferred = Factor.Authenticator } });
        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add(await ChallengeAsync("rec"));
        }

        var recovery = enrolled.RecoveryCodes[3].ToUpperInvariant();
        var responses = await Task.WhenAll(ids.Select(id => Portal.VerifyWithAsync(Tenant, id, "RecoveryCode", recovery)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var status = await (await Portal.SendAsUserAsync(HttpMethod.Get, Tenant, "rec", "factors", "rec", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(9, status.GetProperty("recoveryCodesLeft").GetInt32());
        await PortalApi.AssertProblemAsync(await Portal.VerifyWithAsync(Tenant, await ChallengeAsync("rec"), "RecoveryCode", recovery), HttpStatusCode.Conflict, "recovery_code_already_used");

        var used = await App.Infra.Mail.WaitForEmailAsync(email, m => m.Subject.StartsWith("A recovery code was used", StringComparison.Ordinal),
            TimeSpan.FromSeconds(15));
        Assert.Contains("9 of them are left", used.Text, StringComparison.Ordinal);
        Assert.Single(await AuditTypesAsync(), t => t == "RecoveryCodeUsed");
    }

    [Fact]
    public async Task Verify_WrongAnswersAcrossCodeAppAndRecoveryCode_OneLockout()
    {
        var email = await Portal.CreateUserAsync(Tenant, "lock");
        var enrolled = await Portal.EnrolAuthenticatorAsync(Tenant, "lock", email);
        App.Time.Advance(TimeSpan.FromSeconds(30));
        var right = Portal.Totp(enrolled.Secret);
        var wrong = right == "000000" ? "000001" : "000000";

        var emailed = await ChallengeAsync("lock");
        for (var i = 0; i < 4; i++)
        {
            await PortalApi.AssertProblemAsync(await Portal.VerifyAsync(Tenant, emailed, "999999" == wrong ? "999998" : "999999"), HttpStatusCode.BadRequest, "invalid_code");
        }

        var app = await ChallengeAsync("lock");
        for (var i = 0; i < 4; i++)
        {
            await PortalApi.AssertProblemAsync(await Portal.VerifyWithAsync(Tenant, app, "Authenticator", wrong), HttpStatusCode.BadRequest, "invalid_code");
        }

        var rec = await ChallengeAsync("lock");
        await PortalApi.AssertProblemAsync(await Portal.VerifyWithAsync(Tenant, rec, "RecoveryCode", "zzzzz-zzzzz"), HttpStatusCode.BadRequest, "invalid_code");
        await PortalApi.AssertProblemAsync(await Portal.VerifyWithAsync(Tenant, rec, "RecoveryCode", "zzzzz-zzzzy"), HttpStatusCode.Locked, "account_locked");

        // Locked means locked, whichever factor is right.
        await PortalApi.AssertProblemAsync(await Portal.VerifyWithAsync(Tenant, rec, "Authenticator", right), HttpStatusCode.Locked, "account_locked");
        await PortalApi.AssertProblemAsync(await Portal.VerifyWithAsync(Tenant, rec, "RecoveryCode", enrolled.RecoveryCodes[0]), HttpStatusCode.Locked, "account_locked");
    }

    [Fact]
    public async Task Verify_MalformedOrNotOffered_400Or409AndNoAttemptCounted()
    {
        var email = await Portal.CreateUserAsync(Tenant, "bad");
        var id = await ChallengeAsync("bad");

        await PortalApi.AssertProblemAsync(await Portal.VerifyWithAsync(Tenant, id, "RecoveryCode", "12345"), HttpStatusCode.BadRequest, "invalid_recovery_code_format");
        await PortalApi.AssertProblemAsync(await Portal.VerifyWithAsync(Tenant, id, "Authenticator", "12 45"), HttpStatusCode.BadRequest, "invalid_code_format");
        await PortalApi.AssertProblemAsync(await Portal.VerifyWithAsync(Tenant, id, "Authenticator", "123456"), HttpStatusCode.Conflict, "factor_not_allowed");
        await PortalApi.AssertProblemAsync(await Portal.VerifyWithAsync(Tenant, id, "Sometimes", "123456"), HttpStatusCode.BadRequest, "invalid_body");

        var challenge = await (await Portal.Http.GetAsync($"/api/tenants/{Tenant}/challenges/{id}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(5, challenge.GetProperty("attemptsRemaining").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await Portal.VerifyAsync(Tenant, id, await Portal.ReadCodeAsync(email))).StatusCode);
    }
}
