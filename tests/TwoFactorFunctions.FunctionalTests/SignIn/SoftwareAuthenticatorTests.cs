using System.Text.Json;
using System.Text.Json.Nodes;
using Fido2NetLib;
using Fido2NetLib.Exceptions;
using Fido2NetLib.Objects;
using TwoFactorFunctions.FunctionalTests.Support;

namespace TwoFactorFunctions.FunctionalTests.SignIn;

/// <summary>
/// The test passkey checked against the real Fido2 library alone, no server: what it registers and asserts verifies,
/// and each knob meant to make a bad assertion makes one the library refuses.
/// </summary>
public sealed class SoftwareAuthenticatorTests : IDisposable
{
    private const string Origin = "https://portal.example";

    private readonly Fido2 _fido2 = new(new Fido2Configuration
    {
        RPID = "portal.example",
        RPName = "t",
        Origins = new HashSet<string> { Origin },
    });

    private readonly SoftwareAuthenticator _passkey = new();
    private readonly Fido2User _user = new() { Id = "user-1"u8.ToArray(), Name = "mary", DisplayName = "Mary" };

    public void Dispose() => _passkey.Dispose();

    [Fact]
    public async Task Register_ThenAssertTwice_VerifiedByFido2AndCounterMovesUp()
    {
        var registered = await RegisterAsync(_passkey);

        Assert.Equal(_passkey.CredentialId, registered.Id);
        Assert.Equal(_passkey.CosePublicKey(), registered.PublicKey);
        Assert.Equal("none", registered.AttestationFormat);
        Assert.Equal(_passkey.Aaguid, registered.AaGuid);
        Assert.Equal(0u, registered.SignCount);
        Assert.False(registered.IsBackupEligible);
        Assert.Equal(_user.Id, _passkey.UserHandle);

        var first = await AssertAsync(registered, registered.SignCount, (o, origin) => _passkey.Assert(o, origin));
        Assert.Equal(1u, first.SignCount);
        var second = await AssertAsync(registered, first.SignCount, (o, origin) => _passkey.Assert(o, origin));
        Assert.Equal(2u, second.SignCount);
        Assert.Equal(_passkey.CredentialId, second.CredentialId);
    }

    [Fact]
    public async Task Register_SyncedPasskey_BackupFlagsReadByFido2()
    {
        using var synced = new SoftwareAuthenticator(backupEligible: true);

        var registered = await RegisterAsync(synced);

        Assert.True(registered.IsBackupEligible);
        Assert.True(registered.IsBackedUp);
        Assert.True((await AssertAsync(registered, 0, (o, origin) => synced.Assert(o, origin))).IsBackedUp);
    }

    [Fact]
    public async Task Assert_TamperedSignature_RefusedByFido2()
    {
        var registered = await RegisterAsync(_passkey);

        var refused = await Assert.ThrowsAsync<Fido2VerificationException>(() =>
            AssertAsync(registered, 0, (options, origin) => _passkey.Assert(options, origin, tamperSignature: true)));

        Assert.Equal(Fido2ErrorCode.InvalidSignature, refused.Code);
    }

    [Fact]
    public async Task Assert_EachKnob_RefusedByFido2ForItsOwnReason()
    {
        var registered = await RegisterAsync(_passkey);

        Assert.Equal(Fido2ErrorCode.UserVerificationRequirementNotMet, (await RefusedAsync(registered, 0, (o, origin) => _passkey.Assert(o, origin, userVerified: false))).Code);
        Assert.Equal(Fido2ErrorCode.UserPresentFlagNotSet, (await RefusedAsync(registered, 0, (o, origin) => _passkey.Assert(o, origin, userPresent: false))).Code);
        Assert.Equal(Fido2ErrorCode.InvalidAuthenticatorResponseChallenge,
            (await RefusedAsync(registered, 0, (o, origin) => _passkey.Assert(o, origin, challenge: "AAAAAAAAAAAAAAAAAAAAAA"))).Code);
        Assert.Contains("https://evil.example", (await RefusedAsync(registered, 0, (o, _) => _passkey.Assert(o, "https://evil.example"))).Message, StringComparison.Ordinal);

        // A counter at or below the stored one is what a cloned key looks like.
        Assert.Equal(Fido2ErrorCode.InvalidSignCount, (await RefusedAsync(registered, 7, (o, origin) => _passkey.Assert(o, origin, counter: 7))).Code);

        // And a good one still verifies after all of those.
        Assert.Equal(8u, (await AssertAsync(registered, 7, (o, origin) => _passkey.Assert(o, origin, counter: 8))).SignCount);
    }

    [Fact]
    public async Task Register_WithoutUserVerification_RefusedByFido2()
    {
        var options = CreationOptions();

        var refused = await Assert.ThrowsAsync<Fido2VerificationException>(() => MakeCredentialAsync(options, _passkey.Register(Json(options.ToJson()), Origin, userVerified: false)));

        Assert.Equal(Fido2ErrorCode.UserVerificationRequirementNotMet, refused.Code);
    }

    private CredentialCreateOptions CreationOptions() => _fido2.RequestNewCredential(new RequestNewCredentialParams
    {
        User = _user,
        AuthenticatorSelection = new AuthenticatorSelection { ResidentKey = ResidentKeyRequirement.Preferred, UserVerification = UserVerificationRequirement.Required },
        AttestationPreference = AttestationConveyancePreference.None,
    });

    private async Task<RegisteredPublicKeyCredential> RegisterAsync(SoftwareAuthenticator passkey)
    {
        var options = CreationOptions();
        return await MakeCredentialAsync(options, passkey.Register(Json(options.ToJson()), Origin));
    }

    private Task<RegisteredPublicKeyCredential> MakeCredentialAsync(CredentialCreateOptions options, JsonObject credential) =>
        _fido2.MakeNewCredentialAsync(new MakeNewCredentialParams
        {
            AttestationResponse = credential.Deserialize<AuthenticatorAttestationRawResponse>()!,
            OriginalOptions = options,
            IsCredentialIdUniqueToUserCallback = (_, _) => Task.FromResult(true),
        });

    private Task<VerifyAssertionResult> AssertAsync(RegisteredPublicKeyCredential registered, uint storedCounter, Func<JsonElement, string, JsonObject> answer)
    {
        var options = _fido2.GetAssertionOptions(new GetAssertionOptionsParams
        {
            AllowedCredentials = [new PublicKeyCredentialDescriptor(registered.Id)],
            UserVerification = UserVerificationRequirement.Required,
        });
        var credential = answer(Json(options.ToJson()), Origin);
        return _fido2.MakeAssertionAsync(new MakeAssertionParams
        {
            AssertionResponse = credential.Deserialize<AuthenticatorAssertionRawResponse>()!,
            OriginalOptions = options,
            StoredPublicKey = registered.PublicKey,
            StoredSignatureCounter = storedCounter,
            IsUserHandleOwnerOfCredentialIdCallback = (p, _) => Task.FromResult(p.UserHandle.AsSpan().SequenceEqual(_user.Id) && p.CredentialId.AsSpan().SequenceEqual(registered.Id)),
        });
    }

    private Task<Fido2VerificationException> RefusedAsync(RegisteredPublicKeyCredential registered, uint storedCounter, Func<JsonElement, string, JsonObject> answer) =>
        Assert.ThrowsAsync<Fido2VerificationException>(() => AssertAsync(registered, storedCounter, answer));

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;
}
