using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Infrastructure.Communication;
using TwoFactorFunctions.Tests.Contracts;

namespace TwoFactorFunctions.FunctionalTests.Contracts;

/// <summary>
/// Sends the same messages once through the official JS SDKs (node) and once through our clients, to one capture
/// server, with the clock frozen at the same instant on both sides. Scenario "x" holds the SDK's requests and
/// "cs:x" ours.
/// </summary>
public sealed class AcsContractFixture : IAsyncLifetime
{
    public static readonly EmailMessage Email = new("margaret.collins@example.com", "Margaret Collins", "TwoFactorFunctions sign-in code",
        "Hello Margaret,\n\nYour code is 482913.\n", "<p>Código: <b>482913</b> &amp; nobody else's</p>", "challenge-contract:email");

    public static readonly SmsMessage Sms = new("t-contract", "+13035551212",
        "TwoFactorFunctions: your sign-in code is 482913. It expires in 10 minutes. Never share it.", "challenge-contract:sms");

    public const string From = "+18005550100";
    public const string Sender = "DoNotReply@contoso.example";
    public const string CallbackUri = "https://tff.example/api/acs/callbacks";
    public const string OperationContext = "0123456789abcdef0123456789abcdef";
    public const string CognitiveServices = "https://tff-ai.cognitiveservices.azure.com/";
    public const string SpokenText = "This is TwoFactorFunctions. Your sign-in code is: 4, 8, 2, 9, 1, 3. Goodbye.";
    public const string VoiceName = "en-US-JennyNeural";

    public AcsCaptureServer Server { get; private set; } = null!;

    public IReadOnlyList<JsonObject> NodeResults { get; private set; } = [];

    public static string EmailOperationId => AcsEmailClient.OperationIdFor(Email).ToString("D");

    public async Task InitializeAsync()
    {
        Server = await AcsCaptureServer.StartAsync();
        var endpoint = Server.Endpoint.AbsoluteUri.TrimEnd('/');

        NodeResults = await JsSdk.RunAsync(new JsonObject
        {
            ["endpoint"] = endpoint,
            ["accessKey"] = AcsHmacVectors.AccessKey,
            ["now"] = AcsHmacVectors.Now,
            ["marker"] = true,
            ["scenarios"] = new JsonArray(
                new JsonObject
                {
                    ["kind"] = "email", ["name"] = "email", ["senderAddress"] = Sender, ["subject"] = Email.Subject,
                    ["plainText"] = Email.PlainText, ["html"] = Email.Html, ["to"] = Email.To, ["toName"] = Email.ToName,
                    ["operationId"] = EmailOperationId, ["userEngagementTrackingDisabled"] = true,
                },
                new JsonObject { ["kind"] = "emailStatus", ["name"] = "emailStatus", ["senderAddress"] = Sender, ["to"] = Email.To, ["operationId"] = EmailOperationId },
                new JsonObject { ["kind"] = "sms", ["name"] = "sms", ["from"] = From, ["to"] = Sms.To, ["message"] = Sms.Text },
                new JsonObject
                {
                    ["kind"] = "createCall", ["name"] = "createCall", ["from"] = From, ["to"] = Sms.To, ["callbackUri"] = CallbackUri,
                    ["operationContext"] = OperationContext, ["cognitiveServicesEndpoint"] = CognitiveServices,
                },
                new JsonObject
                {
                    ["kind"] = "play", ["name"] = "play", ["callConnectionId"] = Server.CallConnectionId, ["text"] = SpokenText,
                    ["voiceName"] = VoiceName, ["operationContext"] = OperationContext,
                },
                new JsonObject { ["kind"] = "terminate", ["name"] = "terminate", ["callConnectionId"] = Server.CallConnectionId }),
        });

        // Ours: the connection string in the portal's form (trailing slash), the same key and the same frozen instant.
        var time = new FakeTimeProvider(DateTimeOffset.Parse(AcsHmacVectors.Now, CultureInfo.InvariantCulture));
        var acs = AcsPipeline.Create(AcsConnectionString.Parse($"endpoint={endpoint}/;accesskey={AcsHmacVectors.AccessKey}"), new AcsClientOptions(), time);
        var email = new AcsEmailClient(acs);
        var sms = new AcsSmsClient(acs);
        var calls = new AcsCallAutomationClient(acs);

        Server.Mark("cs:email");
        await email.SendAsync(Email, Sender, CancellationToken.None);
        Server.Mark("cs:emailStatus");
        await email.GetStatusAsync(EmailOperationId, CancellationToken.None);
        Server.Mark("cs:sms");
        await sms.SendAsync(Sms, From, CancellationToken.None);
        Server.Mark("cs:createCall");
        await calls.CreateCallAsync(Sms.To, From, new Uri(CallbackUri), OperationContext, new Uri(CognitiveServices), Guid.NewGuid(), CancellationToken.None);
        Server.Mark("cs:play");
        await calls.PlayTextAsync(Server.CallConnectionId, SpokenText, VoiceName, OperationContext, CancellationToken.None);
        Server.Mark("cs:terminate");
        await calls.HangUpAsync(Server.CallConnectionId, CancellationToken.None);
        Server.Mark("");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
