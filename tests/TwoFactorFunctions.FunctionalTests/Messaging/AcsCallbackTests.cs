using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.FunctionalTests.Contracts;
using TwoFactorFunctions.Infrastructure.Communication;
using TwoFactorFunctions.Infrastructure.Storage;
using TwoFactorFunctions.Tests.Contracts;

using TwoFactorFunctions.FunctionalTests.Infrastructure;

namespace TwoFactorFunctions.FunctionalTests.Messaging;

/// <summary>ACS as the phone (and email) provider, against a stand-in ACS that records what we send.</summary>
[Collection(ServicesGroup.Name)]
public sealed class AcsCallbackTests(TestServices services) : IAsyncLifetime, IAsyncDisposable
{
    private AcsCaptureServer _acs = null!;
    private MessagingAppFactory _app = null!;

    public async Task InitializeAsync()
    {
        _acs = await AcsCaptureServer.StartAsync();
        _app = new MessagingAppFactory(services, AcsSettings(_acs));
        await _app.StorageReadyAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _acs.DisposeAsync();
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    [Fact]
    public async Task VoiceCode_ConnectedThenPlayed_SpeaksTheCodeOnlyAfterConnectThenHangsUp()
    {
        var caller = _app.Services.GetRequiredService<IVoiceCaller>();
        var message = _app.Services.GetRequiredService<CodeMessages>().Voice("t-acs", "+13035551212", "482913", "challenge-v:1");

        await caller.CallAsync(message, CancellationToken.None);

        var create = Assert.Single(_acs.Requests);
        Assert.Equal("/calling/callConnections", create.Path);
        using var body = JsonDocument.Parse(create.Body);
        var context = body.RootElement.GetProperty("operationContext").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", context);
        Assert.Equal("https://tff.example/api/acs/callbacks", body.RootElement.GetProperty("callbackUri").GetString());
        Assert.Equal("+18005550100", body.RootElement.GetProperty("sourceCallerIdNumber").GetProperty("value").GetString());
        Assert.DoesNotContain("4, 8, 2", create.BodyText, StringComparison.Ordinal);
        Assert.DoesNotContain("482913", create.BodyText, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await PostEventAsync("CallConnected", context)).StatusCode);

        var play = _acs.Requests[^1];
        Assert.Equal($"/calling/callConnections/{_acs.CallConnectionId}:play", play.Path);
        using var playBody = JsonDocument.Parse(play.Body);
        var text = playBody.RootElement.GetProperty("playSources")[0].GetProperty("text");
        Assert.Equal(message.SpokenText, text.GetProperty("text").GetString());
        Assert.Equal("en-AU-NatashaNeural", text.GetProperty("voiceName").GetString());
        Assert.Equal(context, playBody.RootElement.GetProperty("operationContext").GetString());

        Assert.Equal(HttpStatusCode.OK, (await PostEventAsync("PlayCompleted", context)).StatusCode);

        Assert.EndsWith(":terminate", _acs.Requests[^1].Path, StringComparison.Ordinal);
        Assert.Null(await TableStorage.GetOrNullAsync(_app.Services.GetRequiredService<TableStorage>().Calls, context, "call", CancellationToken.None));
        Assert.DoesNotContain(_app.Logs.Lines, l => l.Contains("4, 8, 2", StringComparison.Ordinal) || l.Contains("482913", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VoiceCode_DisconnectedBeforeConnect_NeverSpeaksIt()
    {
        var caller = _app.Services.GetRequiredService<IVoiceCaller>();
        await caller.CallAsync(new VoiceMessage("t-acs", "+13035551212", "Your code is 1, 2, 3.", "challenge-v:2"), CancellationToken.None);
        var context = JsonDocument.Parse(_acs.Requests[^1].Body).RootElement.GetProperty("operationContext").GetString()!;

        await PostEventAsync("CallDisconnected", context);
        await PostEventAsync("CallConnected", context);

        Assert.DoesNotContain(_acs.Requests, r => r.Path.EndsWith(":play", StringComparison.Ordinal));
        Assert.EndsWith(":terminate", _acs.Requests[^1].Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VoiceCode_SameIdempotencyKeyTwice_SameOperationContextAndRepeatabilityId()
    {
        var caller = _app.Services.GetRequiredService<IVoiceCaller>();
        var message = new VoiceMessage("t-acs", "+13035551212", "Your code is 9, 9, 9.", "challenge-v:3");

        await caller.CallAsync(message, CancellationToken.None);
        await caller.CallAsync(message, CancellationToken.None);

        Assert.Equal(2, _acs.Requests.Count);
        Assert.Equal(_acs.Requests[0].Header("Repeatability-Request-ID"), _acs.Requests[1].Header("Repeatability-Request-ID"));
        Assert.Equal(_acs.Requests[0].BodyText, _acs.Requests[1].BodyText);
    }

    public static TheoryData<string> BadTokens() => ["none", "otherKey", "otherAudience", "expired"];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Callback_WithoutAValidAcsToken_401AndNothingHappens(string kind)
    {
        await _app.Services.GetRequiredService<IVoiceCaller>().CallAsync(new VoiceMessage("t-acs", "+13035551212", "Your code is 5, 5.", "challenge-v:4"), CancellationToken.None);
        var context = JsonDocument.Parse(_acs.Requests[^1].Body).RootElement.GetProperty("operationContext").GetString()!;
        using var other = RSA.Create(2048);
        string? token = kind switch
        {
            "otherKey" => MessagingAppFactory.CallbackToken(key: new RsaSecurityKey(other) { KeyId = MessagingAppFactory.SigningKey.KeyId }),
            "otherAudience" => MessagingAppFactory.CallbackToken(audience: "00000000-0000-0000-0000-000000000000"),
            "expired" => MessagingAppFactory.CallbackToken(issuedAt: DateTime.UtcNow.AddMinutes(-20)),
            _ => null,
        };

        var response = await PostEventAsync("CallConnected", context, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Single(_acs.Requests);
    }

    [Fact]
    public async Task Callback_FunctionKeyInsteadOfToken_401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/acs/callbacks") { Content = new StringContent("[]", Encoding.UTF8, "application/json") };
        request.Headers.Add("x-functions-key", MessagingAppFactory.DevFunctionKey);

        var response = await _app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SmsAndEmail_AcsProviders_GoToAcsWithoutCodesInLogs()
    {
        var delivery = _app.Services.GetRequiredService<ICodeDelivery>();

        await delivery.DeliverAsync("t-acs", Channel.Sms, "+13035551212", null, "604172", 10, "challenge-s:1", CancellationToken.None);
        await delivery.DeliverAsync("t-acs", Channel.Email, "mary@example.test", "Mary", "604173", 10, "challenge-e:1", CancellationToken.None);

        var sms = Assert.Single(_acs.Requests, r => r.Path == "/sms");
        Assert.Contains("604172", sms.BodyText, StringComparison.Ordinal);
        Assert.StartsWith("HMAC-SHA256 ", sms.Header("Authorization"), StringComparison.Ordinal);
        var email = Assert.Single(_acs.Requests, r => r.Path == "/emails:send");
        Assert.Contains("604173", email.BodyText, StringComparison.Ordinal);
        Assert.Equal(AcsPipeline.IdempotencyId("email", "challenge-e:1").ToString("D"), email.Header("Operation-Id"));
        Assert.DoesNotContain(_app.Logs.Lines, l => l.Contains("60417", StringComparison.Ordinal));
        Assert.DoesNotContain(_app.Logs.Lines, l => l.Contains(AcsHmacVectors.AccessKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Startup_AcsPhoneWithoutCallbackSettings_FailsValidation()
    {
        var settings = AcsSettings(_acs);
        settings.Remove("Acs:CallbackBaseUri");
        settings.Remove("Acs:ImmutableResourceId");
        await using var app = new MessagingAppFactory(services, settings);

        var ex = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains(ex.Failures, f => f.Contains("Acs:CallbackBaseUri", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("Acs:ImmutableResourceId", StringComparison.Ordinal));
    }

    private async Task<HttpResponseMessage> PostEventAsync(string type, string operationContext, string? token = "valid")
    {
        var events = new[]
        {
            new
            {
                id = Guid.NewGuid().ToString(),
                source = $"calling/callConnections/{_acs.CallConnectionId}",
                type = "Microsoft.Communication." + type,
                data = new { callConnectionId = _acs.CallConnectionId, serverCallId = "server-1", correlationId = "corr-1", operationContext },
                time = DateTimeOffset.UtcNow,
                specversion = "1.0",
                datacontenttype = "application/json",
                subject = $"calling/callConnections/{_acs.CallConnectionId}",
            },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/acs/callbacks")
        {
            Content = new StringContent(JsonSerializer.Serialize(events), Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token == "valid" ? MessagingAppFactory.CallbackToken() : token);
        }

        return await _app.CreateClient().SendAsync(request);
    }

    private static Dictionary<string, string?> AcsSettings(AcsCaptureServer acs) => new()
    {
        ["Messaging:EmailProvider"] = "Acs",
        ["Messaging:PhoneProvider"] = "Acs",
        ["Acs:ConnectionString"] = $"endpoint={acs.Endpoint.AbsoluteUri};accesskey={AcsHmacVectors.AccessKey}",
        ["Acs:EmailSender"] = "DoNotReply@contoso.example",
        ["Acs:SmsFrom"] = "+18005550100",
        ["Acs:CallerId"] = "+18005550100",
        ["Acs:CallbackBaseUri"] = "https://tff.example/",
        ["Acs:CognitiveServicesEndpoint"] = "https://tff-ai.cognitiveservices.azure.com/",
        ["Acs:VoiceName"] = "en-AU-NatashaNeural",
        ["Acs:ImmutableResourceId"] = MessagingAppFactory.ResourceId,
        ["Acs:MaxRetries"] = "0",
    };
}
