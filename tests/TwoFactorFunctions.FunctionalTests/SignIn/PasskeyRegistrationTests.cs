using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TwoFactorFunctions.FunctionalTests.Infrastructure;
using TwoFactorFunctions.FunctionalTests.Support;

namespace TwoFactorFunctions.FunctionalTests.SignIn;

/// <summary>
/// Adding a passkey end to end on Azurite and MailDev, a software authenticator in place of the browser: only on a
/// fresh emailed-code proof, only once per ceremony and in its lifetime, only from the configured origin with the
/// user verified; then signing in with it.
/// </summary>
[Collection(ServicesGroup.Name)]
public sealed class PasskeyRegistrationTests(TestServices services) : PasskeyTestBase(services)
{
    [Fact]
    public async Task AddPasskey_AfterAnEmailedCodeProof_SignsInWithIt()
    {
        var email = await Portal.CreateUserAsync(Tenant, "mary");
        var passkey = NewPasskey();

        var ceremony = await StartRegistrationAsync(Tenant, "mary", email);
        var creation = ceremony.GetProperty("publicKey");
        Assert.Equal(TwoFactorAppFactory.PasskeyRelyingPartyId, creation.GetProperty("rp").GetProperty("id").GetString());
        Assert.Equal("Acme Portal", creation.GetProperty("rp").GetProperty("name").GetString());
        Assert.Equal("required", creation.GetProperty("authenticatorSelection").GetProperty("userVerification").GetString());
        Assert.Equal("none", creation.GetProperty("attestation").GetString());
        Assert.Contains(creation.GetProperty("pubKeyCredParams").EnumerateArray(), p => p.GetProperty("alg").GetInt32() == -7);
        var added = await CompleteRegistrationAsync(Tenant, "mary", ceremony.GetProperty("ceremonyId").GetString()!, passkey.Register(creation, Origin), "Mary's laptop");
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var view = await added.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Mary's laptop", view.GetProperty("name").GetString());
        Assert.Equal(passkey.Aaguid, view.GetProperty("aaguid").GetGuid());
        Assert.False(view.GetProperty("backupEligible").GetBoolean());
        Assert.Equal(["internal", "hybrid"], PortalApi.Actions(view, "transports"));

        var listed = await ListPasskeysAsync(Tenant, "mary");
        Assert.True(listed.GetProperty("available").GetBoolean());
        Assert.Equal(view.GetProperty("passkeyId").GetString(), Assert.Single(listed.GetProperty("passkeys").EnumerateArray()).GetProperty("passkeyId").GetString());

        var challenge = await SignInChallengeAsync(Tenant, "mary");
        Assert.Contains("Passkey", PortalApi.Actions(challenge, "factors"));
        var id = challenge.GetProperty("challengeId").GetString()!;
        var options = await OptionsAsync(Tenant, id);
        Assert.Equal(TwoFactorAppFactory.PasskeyRelyingPartyId, options.GetProperty("rpId").GetString());
        Assert.Equal("required", options.GetProperty("userVerification").GetString());
        Assert.Equal(passkey.CredentialIdText, Assert.Single(options.GetProperty("allowCredentials").EnumerateArray()).GetProperty("id").GetString());

        var verified = await OkAsync(await VerifyPasskeyAsync(Tenant, id, passkey.Assert(options, Origin)));
        Assert.Equal("Verified", verified.GetProperty("challenge").GetProperty("status").GetString());
        var used = Assert.Single((await ListPasskeysAsync(Tenant, "mary")).GetProperty("passkeys").EnumerateArray());
        Assert.NotEqual(JsonValueKind.Null, used.GetProperty("lastUsedAt").ValueKind);
    }

    [Fact]
    public async Task SignIn_PasskeyRemembersTheDevice_UntilTheUsersPasskeysChange()
    {
        var email = await Portal.CreateUserAsync(Tenant, "rita");
        var passkey = NewPasskey();
        await AddPasskeyAsync(Tenant, "rita", email, passkey);
        var id = await ChallengeIdAsync(Tenant, "rita");
        var assertion = passkey.Assert(await OptionsAsync(Tenant, id), Origin);

        var verified = await OkAsync(await Portal.Http.PostAsJsonAsync($"/api/tenants/{Tenant}/challenges/{id}/verify",
            new { factor = "Passkey", credential = assertion, rememberDevice = true, deviceLabel = "Rita's laptop" }));
        var device = verified.GetProperty("deviceToken").GetString()!;
        SecretScan.Saw(device);
        var trusted = await OkAsync(await Portal.CreateChallengeAsync(Tenant, "rita", device));
        Assert.Equal("TrustedDevice", trusted.GetProperty("reason").GetString());

        // A second passkey is a factor change: devices remembered on the strength of the old factors are forgotten.
        var ceremony = await StartRegistrationAsync(Tenant, "rita", email, prover: passkey);
        Assert.Equal(HttpStatusCode.Created, (await CompleteRegistrationAsync(Tenant, "rita", ceremony.GetProperty("ceremonyId").GetString()!,
            NewPasskey().Register(ceremony.GetProperty("publicKey"), Origin), "Phone")).StatusCode);
        var challenged = await Portal.CreateChallengeAsync(Tenant, "rita", device);
        Assert.Equal(HttpStatusCode.Created, challenged.StatusCode);
    }

    [Fact]
    public async Task AdminReset_UserWithAPasskey_PasskeyRemovedAndNoLongerOffered()
    {
        var email = await Portal.CreateUserAsync(Tenant, "sam");
        await AddPasskeyAsync(Tenant, "sam", email, NewPasskey());

        var reset = await Portal.ResetAsync(Tenant, "sam", "admin", await Portal.StepUpAsync(Tenant, "admin", AdminEmail));

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Empty((await ListPasskeysAsync(Tenant, "sam")).GetProperty("passkeys").EnumerateArray());
        Assert.Equal(["Code"], PortalApi.Actions(await SignInChallengeAsync(Tenant, "sam"), "factors"));
    }

    [Fact]
    public async Task AddSecondPasskey_EmailedCodeNoLongerProvesAndTheFirstPasskeyDoes()
    {
        var email = await Portal.CreateUserAsync(Tenant, "kim");
        var first = NewPasskey();
        await AddPasskeyAsync(Tenant, "kim", email, first);

        // With a passkey held, whoever reads the mailbox gets no proof: the proof challenge is answered with the passkey.
        var start = await Portal.SendAsUserAsync(HttpMethod.Post, Tenant, "kim", "two-factor/challenges", "kim", null);
        var proofChallenge = await start.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("Passkey", PortalApi.Actions(proofChallenge, "factors"));
        Assert.DoesNotContain("Code", PortalApi.Actions(proofChallenge, "factors"));
        await PortalApi.AssertProblemAsync(await Portal.ResendAsync(Tenant, proofChallenge.GetProperty("challengeId").GetString()!), HttpStatusCode.Conflict,
            "factor_not_allowed");

        var ceremony = await StartRegistrationAsync(Tenant, "kim", email, prover: first);
        Assert.Equal(first.CredentialIdText, Assert.Single(ceremony.GetProperty("publicKey").GetProperty("excludeCredentials").EnumerateArray()).GetProperty("id").GetString());
        var second = NewPasskey();
        Assert.Equal(HttpStatusCode.Created, (await CompleteRegistrationAsync(Tenant, "kim", ceremony.GetProperty("ceremonyId").GetString()!,
            second.Register(ceremony.GetProperty("publicKey"), Origin), "Security key")).StatusCode);

        // The first one registered again (a browser ignoring excludeCredentials) is refused.
        var again = await StartRegistrationAsync(Tenant, "kim", email, prover: second);
        await PortalApi.AssertProblemAsync(await CompleteRegistrationAsync(Tenant, "kim", again.GetProperty("ceremonyId").GetString()!,
            first.Register(again.GetProperty("publicKey"), Origin)), HttpStatusCode.Conflict, "passkey_already_registered");
        Assert.Equal(2, (await ListPasskeysAsync(Tenant, "kim")).GetProperty("passkeys").GetArrayLength());
        await OkAsync(await SignInWithAsync(Tenant, "kim", first));
        await OkAsync(await SignInWithAsync(Tenant, "kim", second));
    }

    [Fact]
    public async Task Register_WithoutAFreshProof_Refused()
    {
        var email = await Portal.CreateUserAsync(Tenant, "ned");

        await PortalApi.AssertProblemAsync(await RequestRegistrationAsync(Tenant, "ned", verifiedChallengeId: null), HttpStatusCode.Forbidden, "verification_required");

        // A verified sign-in is not a proof for a factor change.
        var signIn = await ChallengeIdAsync(Tenant, "ned");
        Assert.Equal(HttpStatusCode.OK, (await Portal.VerifyAsync(Tenant, signIn, await Portal.ReadNextCodeAsync(email, 0))).StatusCode);
        await PortalApi.AssertProblemAsync(await RequestRegistrationAsync(Tenant, "ned", signIn), HttpStatusCode.Forbidden, "verification_required");

        // A proof is spent by the ceremony it started.
        var proof = await Portal.ProveSelfAsync(Tenant, "ned", email);
        Assert.Equal(HttpStatusCode.Created, (await RequestRegistrationAsync(Tenant, "ned", proof)).StatusCode);
        await PortalApi.AssertProblemAsync(await RequestRegistrationAsync(Tenant, "ned", proof), HttpStatusCode.Forbidden, "verification_required");
        Assert.Empty((await ListPasskeysAsync(Tenant, "ned")).GetProperty("passkeys").EnumerateArray());
    }

    [Fact]
    public async Task Register_ExpiredOrReusedCeremony_Refused()
    {
        var email = await Portal.CreateUserAsync(Tenant, "ola");
        var passkey = NewPasskey();

        // Answered a second too late: the ceremony has expired.
        var late = await StartRegistrationAsync(Tenant, "ola", email);
        App.Time.Advance(late.GetProperty("expiresAt").GetDateTimeOffset() - App.Time.GetUtcNow() + TimeSpan.FromSeconds(1));
        await PortalApi.AssertProblemAsync(await CompleteRegistrationAsync(Tenant, "ola", late.GetProperty("ceremonyId").GetString()!,
            passkey.Register(late.GetProperty("publicKey"), Origin)), HttpStatusCode.Conflict, "no_pending_passkey_registration");
        Assert.Empty((await ListPasskeysAsync(Tenant, "ola")).GetProperty("passkeys").EnumerateArray());

        // In time, then the same ceremony again, with the same credential or another key's.
        var ceremony = await StartRegistrationAsync(Tenant, "ola", email);
        var ceremonyId = ceremony.GetProperty("ceremonyId").GetString()!;
        var credential = passkey.Register(ceremony.GetProperty("publicKey"), Origin);
        Assert.Equal(HttpStatusCode.Created, (await CompleteRegistrationAsync(Tenant, "ola", ceremonyId, credential)).StatusCode);
        await PortalApi.AssertProblemAsync(await CompleteRegistrationAsync(Tenant, "ola", ceremonyId, credential, "Again"), HttpStatusCode.Conflict,
            "no_pending_passkey_registration");
        await PortalApi.AssertProblemAsync(await CompleteRegistrationAsync(Tenant, "ola", ceremonyId, NewPasskey().Register(ceremony.GetProperty("publicKey"), Origin)),
            HttpStatusCode.Conflict, "no_pending_passkey_registration");
        Assert.Single((await ListPasskeysAsync(Tenant, "ola")).GetProperty("passkeys").EnumerateArray());
    }

    [Fact]
    public async Task Register_FromAnotherOriginOrWithoutUserVerification_Refused()
    {
        var email = await Portal.CreateUserAsync(Tenant, "pam");
        var passkey = NewPasskey();

        var phished = await StartRegistrationAsync(Tenant, "pam", email);
        await PortalApi.AssertProblemAsync(await CompleteRegistrationAsync(Tenant, "pam", phished.GetProperty("ceremonyId").GetString()!,
            passkey.Register(phished.GetProperty("publicKey"), "https://portal.example.evil")), HttpStatusCode.BadRequest, "passkey_registration_failed");

        var unverified = await StartRegistrationAsync(Tenant, "pam", email);
        await PortalApi.AssertProblemAsync(await CompleteRegistrationAsync(Tenant, "pam", unverified.GetProperty("ceremonyId").GetString()!,
            passkey.Register(unverified.GetProperty("publicKey"), Origin, userVerified: false)), HttpStatusCode.BadRequest, "passkey_registration_failed");

        Assert.Empty((await ListPasskeysAsync(Tenant, "pam")).GetProperty("passkeys").EnumerateArray());
    }
}
