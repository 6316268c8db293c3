using System.Net;
using System.Text.Json;
using Azure.Core;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Infrastructure.Communication;

namespace TwoFactorFunctions.UnitTests.Communication;

public class AcsSmsAndCallClientTests
{
    private static readonly SmsMessage Sms = new("t-unit", "+13035551212", "TwoFactorFunctions: your sign-in code is 482913.", "challenge-9:v1");

    private static HttpResponseMessage SmsResult(bool successful, int status) => StubAcs.Json(HttpStatusCode.Accepted,
        $"{{\"value\":[{{\"to\":\"+13035551212\",\"messageId\":\"msg-1\",\"httpStatusCode\":{status},\"successful\":{(successful ? "true" : "false")},\"errorMessage\":\"+13035551212 is opted out\"}}]}}");

    [Fact]
    public async Task SmsSendAsync_Accepted_PostsSmsWithRepeatabilityInTheBody()
    {
        var stub = new StubAcs((_, _) => SmsResult(true, 202));

        var id = await new AcsSmsClient(stub.Pipeline()).SendAsync(Sms, "+18005550100", CancellationToken.None);

        var sent = Assert.Single(stub.Requests);
        Assert.Equal("msg-1", id);
        Assert.Equal("/sms?api-version=2021-03-07", sent.Uri.PathAndQuery);
        using var body = JsonDocument.Parse(sent.Body);
        var recipient = body.RootElement.GetProperty("smsRecipients")[0];
        Assert.Equal("+18005550100", body.RootElement.GetProperty("from").GetString());
        Assert.Equal(Sms.Text, body.RootElement.GetProperty("message").GetString());
        Assert.Equal(AcsSmsClient.RepeatabilityIdFor(Sms).ToString("D"), recipient.GetProperty("repeatabilityRequestId").GetString());
        Assert.Equal("Wed, 04 Mar 2026 05:06:07 GMT", recipient.GetProperty("repeatabilityFirstSent").GetString());
        Assert.False(body.RootElement.GetProperty("smsSendOptions").GetProperty("enableDeliveryReport").GetBoolean());
        Assert.Contains("\"+13035551212\"", sent.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SmsSendAsync_500Then202_RetriesWithIdenticalBody()
    {
        StubAcs? stub = null;
        stub = new StubAcs((_, attempt) =>
        {
            // Time moves between attempts; the first-sent stamp in the body must not.
            stub!.Time.Advance(TimeSpan.FromSeconds(2));
            return attempt == 1 ? StubAcs.Empty(HttpStatusCode.InternalServerError) : SmsResult(true, 202);
        });

        await new AcsSmsClient(stub.Pipeline()).SendAsync(Sms, "+18005550100", CancellationToken.None);

        Assert.Equal(2, stub.Requests.Count);
        Assert.Equal(stub.Requests[0].Body, stub.Requests[1].Body);
    }

    [Fact]
    public async Task SmsSendAsync_RecipientRefused_ThrowsWithoutTheNumber()
    {
        var stub = new StubAcs((_, _) => SmsResult(false, 400));

        var ex = await Assert.ThrowsAsync<DeliveryException>(() =>
            new AcsSmsClient(stub.Pipeline()).SendAsync(Sms, "+18005550100", CancellationToken.None));

        Assert.Contains("400", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("3035551212", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("482913", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateCallAsync_Created_SendsRepeatabilityHeadersThatSurviveRetries()
    {
        var requestId = Guid.Parse("6f7c2f0e-9a51-4f4b-8d0e-3c1b2a4d5e6f");
        StubAcs? stub = null;
        stub = new StubAcs((_, attempt) =>
        {
            stub!.Time.Advance(TimeSpan.FromSeconds(2));
            return attempt == 1 ? StubAcs.Empty(HttpStatusCode.ServiceUnavailable) : StubAcs.Json(HttpStatusCode.Created, "{\"callConnectionId\":\"cc-1\"}");
        });

        var id = await new AcsCallAutomationClient(stub.Pipeline()).CreateCallAsync("+13035551212", "+18005550100",
            new Uri("https://tff.example/api/acs/callbacks"), "0123456789abcdef0123456789abcdef", new Uri("https://ai.example/"),
            requestId, CancellationToken.None);

        Assert.Equal("cc-1", id);
        Assert.Equal(2, stub.Requests.Count);
        foreach (var sent in stub.Requests)
        {
            Assert.Equal("/calling/callConnections?api-version=2026-03-12", sent.Uri.PathAndQuery);
            Assert.Equal(requestId.ToString("D"), sent.Header("Repeatability-Request-ID"));
            Assert.Equal("Wed, 04 Mar 2026 05:06:07 GMT", sent.Header("Repeatability-First-Sent"));
        }

        Assert.NotEqual(stub.Requests[0].Header("x-ms-date"), stub.Requests[1].Header("x-ms-date"));
        using var body = JsonDocument.Parse(stub.Requests[0].Body);
        var target = body.RootElement.GetProperty("targets")[0];
        Assert.Equal("phoneNumber", target.GetProperty("kind").GetString());
        Assert.Equal("4:+13035551212", target.GetProperty("rawId").GetString());
        Assert.Equal("+13035551212", target.GetProperty("phoneNumber").GetProperty("value").GetString());
        Assert.Equal("+18005550100", body.RootElement.GetProperty("sourceCallerIdNumber").GetProperty("value").GetString());
        Assert.Equal("https://tff.example/api/acs/callbacks", body.RootElement.GetProperty("callbackUri").GetString());
        Assert.Equal("0123456789abcdef0123456789abcdef", body.RootElement.GetProperty("operationContext").GetString());
        Assert.Equal("https://ai.example/", body.RootElement.GetProperty("callIntelligenceOptions").GetProperty("cognitiveServicesEndpoint").GetString());
    }

    [Fact]
    public async Task PlayTextAsync_Accepted_PostsTextSourceToEveryone()
    {
        var stub = new StubAcs((_, _) => StubAcs.Empty(HttpStatusCode.Accepted));

        await new AcsCallAutomationClient(stub.Pipeline()).PlayTextAsync("cc/1", "Your code is 4, 8, 2.", "en-AU-NatashaNeural", "ctx", CancellationToken.None);

        var sent = Assert.Single(stub.Requests);
        Assert.Equal("/calling/callConnections/cc%2F1:play?api-version=2026-03-12", sent.Uri.PathAndQuery);
        using var body = JsonDocument.Parse(sent.Body);
        var source = body.RootElement.GetProperty("playSources")[0];
        Assert.Equal("text", source.GetProperty("kind").GetString());
        Assert.Equal("Your code is 4, 8, 2.", source.GetProperty("text").GetProperty("text").GetString());
        Assert.Equal("en-AU-NatashaNeural", source.GetProperty("text").GetProperty("voiceName").GetString());
        Assert.Equal(0, body.RootElement.GetProperty("playTo").GetArrayLength());
        Assert.Equal("ctx", body.RootElement.GetProperty("operationContext").GetString());
    }

    [Theory]
    [InlineData(HttpStatusCode.NoContent)]
    [InlineData(HttpStatusCode.NotFound)]
    public async Task HangUpAsync_EndedOrAlreadyGone_Succeeds(HttpStatusCode status)
    {
        var stub = new StubAcs((_, _) => StubAcs.Empty(status));

        await new AcsCallAutomationClient(stub.Pipeline()).HangUpAsync("cc-1", CancellationToken.None);

        var sent = Assert.Single(stub.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/calling/callConnections/cc-1:terminate?api-version=2026-03-12", sent.Uri.PathAndQuery);
        Assert.NotNull(sent.Header("Repeatability-Request-ID"));
        Assert.Equal("", sent.Body);
    }

    [Fact]
    public async Task Pipeline_TokenCredential_SendsBearerTokenForTheAcsScope()
    {
        var stub = new StubAcs((_, _) => StubAcs.Empty(HttpStatusCode.Accepted));
        var credential = new RecordingCredential();
        var acs = AcsPipeline.Create(new Uri("https://contoso.communication.azure.com"), credential, stub.Options(), stub.Time);

        await new AcsCallAutomationClient(acs).PlayTextAsync("cc-1", "hello", null, "ctx", CancellationToken.None);

        var sent = Assert.Single(stub.Requests);
        Assert.Equal("Bearer test-token", sent.Header("Authorization"));
        Assert.Null(sent.Header("x-ms-content-sha256"));
        Assert.Equal(["https://communication.azure.com//.default"], credential.Scopes);
    }

    private sealed class RecordingCredential : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return new AccessToken("test-token", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
