using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Web;
using TwoFactorFunctions.Infrastructure.Communication;
using TwoFactorFunctions.Tests.Contracts;

namespace TwoFactorFunctions.FunctionalTests.Contracts;

/// <summary>
/// The official ACS JS SDKs are the oracle: for the same message, our clients must send what they send — method,
/// path, api-version, the headers that matter, the JSON body's shape and deterministic values, and an HMAC signature
/// that is identical for the same key, date and body.
/// </summary>
public sealed class AcsSdkContractTests(AcsContractFixture fixture) : IClassFixture<AcsContractFixture>
{
    private static readonly byte[] Key = Convert.FromBase64String(AcsHmacVectors.AccessKey);

    [Fact]
    public void NodeScript_AllScenarios_CompletedAgainstTheCaptureServer()
    {
        Assert.All(fixture.NodeResults, r => Assert.True(r["ok"]!.GetValue<bool>(), r.ToJsonString()));
        Assert.Equal(6, fixture.NodeResults.Count);
    }

    [Fact]
    public void EmailSend_SameMessage_MatchesTheSdkRequestByteForByte()
    {
        var (js, ours) = Pair("email");

        AssertSameRequest(js, ours);
        Assert.Equal("/emails:send", ours.Path);
        Assert.Equal(AcsContractFixture.EmailOperationId, js.Header("Operation-Id"));
        Assert.Equal(js.Header("Operation-Id"), ours.Header("Operation-Id"));
        AssertSameBodyAndSignature(js, ours);
    }

    [Fact]
    public void EmailStatus_SameOperation_MatchesTheSdkPoll()
    {
        // The SDK's poller re-sends the send call's options, Operation-Id included; the REST spec has no such
        // parameter on the status GET, so ours leaves it out.
        var (js, ours) = Pair("emailStatus", jsIndex: ^1);

        Assert.Equal("GET", js.Method);
        AssertSameRequest(js, ours, ignoredHeaders: ["operation-id"]);
        Assert.Equal($"/emails/operations/{AcsContractFixture.EmailOperationId}", ours.Path);
        AssertSameBodyAndSignature(js, ours);
    }

    [Fact]
    public void SmsSend_SameMessage_MatchesTheSdkRequest()
    {
        var (js, ours) = Pair("sms");

        AssertSameRequest(js, ours);
        Assert.Equal("/sms", ours.Path);

        // The SDK draws a random repeatability id per send; ours derives it from the idempotency key.
        AssertSameJsonShape(js, ours, nonDeterministic: ["$.smsRecipients[0].repeatabilityRequestId"]);
        Assert.Equal(AcsSmsClient.RepeatabilityIdFor(AcsContractFixture.Sms).ToString("D"),
            Json(ours)["smsRecipients"]![0]!["repeatabilityRequestId"]!.GetValue<string>());
        AssertOurSignerReproducesTheSdk(js);
    }

    [Fact]
    public void CreateCall_SameCall_MatchesTheSdkRequestByteForByte()
    {
        var (js, ours) = Pair("createCall");

        AssertSameRequest(js, ours);
        Assert.Equal("/calling/callConnections", ours.Path);
        AssertRepeatability(js, ours);
        AssertSameBodyAndSignature(js, ours);
    }

    [Fact]
    public void PlayText_SameText_MatchesTheSdkRequestByteForByte()
    {
        var (js, ours) = Pair("play");

        AssertSameRequest(js, ours);
        Assert.Equal($"/calling/callConnections/{fixture.Server.CallConnectionId}:play", ours.Path);
        AssertSameBodyAndSignature(js, ours);
    }

    [Fact]
    public void HangUp_ForEveryone_MatchesTheSdkTerminateRequest()
    {
        var (js, ours) = Pair("terminate");

        AssertSameRequest(js, ours);
        Assert.Equal($"/calling/callConnections/{fixture.Server.CallConnectionId}:terminate", ours.Path);
        AssertRepeatability(js, ours);
        AssertSameBodyAndSignature(js, ours);
    }

    [Fact]
    public async Task KnownVectors_RecomputedByTheSdk_StillMatchTheRecordedSignatures()
    {
        var scenarios = new JsonArray([.. AcsHmacVectors.All.Select(v => (JsonNode)new JsonObject
        {
            ["kind"] = "vector", ["method"] = v.Method, ["url"] = v.Url, ["body"] = v.Body,
        })]);

        var results = await JsSdk.RunAsync(new JsonObject
        {
            ["endpoint"] = "http://127.0.0.1:9", ["accessKey"] = AcsHmacVectors.AccessKey, ["now"] = AcsHmacVectors.Now, ["scenarios"] = scenarios,
        });

        Assert.Equal(AcsHmacVectors.All.Length, results.Count);
        for (var i = 0; i < results.Count; i++)
        {
            var v = AcsHmacVectors.All[i];
            Assert.Equal(AcsHmacVectors.Date, results[i]["date"]!.GetValue<string>());
            Assert.Equal(v.ContentSha256, results[i]["contentSha256"]!.GetValue<string>());
            Assert.Equal(v.Authorization, results[i]["authorization"]!.GetValue<string>());

            // And ours, from the same inputs.
            var uri = new Uri(v.Url);
            Assert.Equal(v.Authorization, AcsHmacAuthenticationPolicy.Authorization(Key, v.Method, uri.PathAndQuery, AcsHmacVectors.Date,
                AcsHmacAuthenticationPolicy.SignedHost(uri), AcsHmacAuthenticationPolicy.ContentHash(Encoding.UTF8.GetBytes(v.Body))));
        }
    }

    private (CapturedRequest Js, CapturedRequest Ours) Pair(string scenario, Index? jsIndex = null)
    {
        var js = fixture.Server.For(scenario);
        var ours = fixture.Server.For("cs:" + scenario);
        Assert.NotEmpty(js);
        return (js[jsIndex ?? 0], Assert.Single(ours));
    }

    private static void AssertSameRequest(CapturedRequest js, CapturedRequest ours, string[]? ignoredHeaders = null)
    {
        Assert.Equal(js.Method, ours.Method);
        Assert.Equal(js.Path, ours.Path);
        var jsQuery = HttpUtility.ParseQueryString(js.Query);
        var ourQuery = HttpUtility.ParseQueryString(ours.Query);
        Assert.NotNull(jsQuery["api-version"]);
        Assert.Equal(jsQuery["api-version"], ourQuery["api-version"]);
        Assert.Equal(jsQuery.AllKeys.Order(), ourQuery.AllKeys.Order());
        Assert.Equal(js.Header("Host"), ours.Header("Host"));
        Assert.Equal(js.Header("Accept"), ours.Header("Accept"));
        Assert.Equal(js.Header("x-ms-date"), ours.Header("x-ms-date"));

        if (js.Body.Length > 0 || ours.Body.Length > 0)
        {
            Assert.Equal(MediaType(js.Header("Content-Type")), MediaType(ours.Header("Content-Type")));
        }

        // The headers that carry protocol meaning: every one the SDK sends, we send; the only extra one allowed is
        // Azure.Core's own request-id echo flag.
        var ignored = new HashSet<string>(ignoredHeaders ?? [], StringComparer.OrdinalIgnoreCase);
        var jsSet = ProtocolHeaders(js).Where(h => !ignored.Contains(h)).ToHashSet();
        var ourSet = ProtocolHeaders(ours).ToHashSet();
        Assert.Subset(ourSet, jsSet);
        Assert.Subset(new HashSet<string> { "x-ms-return-client-request-id" }, ourSet.Except(jsSet).ToHashSet());

        Assert.StartsWith("HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=", js.Header("Authorization"), StringComparison.Ordinal);
        Assert.StartsWith("HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=", ours.Header("Authorization"), StringComparison.Ordinal);
    }

    /// <summary>Deterministic bodies: the same bytes, so the same content hash and the very same Authorization header.</summary>
    private static void AssertSameBodyAndSignature(CapturedRequest js, CapturedRequest ours)
    {
        if (js.Body.Length > 0)
        {
            AssertSameJsonShape(js, ours, []);
        }

        Assert.Equal(js.BodyText, ours.BodyText);
        Assert.Equal(js.Header("x-ms-content-sha256"), ours.Header("x-ms-content-sha256"));
        Assert.Equal(js.Header("Authorization"), ours.Header("Authorization"));
        AssertOurSignerReproducesTheSdk(js);
    }

    /// <summary>Our signer, fed the SDK's own request (verb, path and query, date, host, body), yields the SDK's header.</summary>
    private static void AssertOurSignerReproducesTheSdk(CapturedRequest js)
    {
        var hash = AcsHmacAuthenticationPolicy.ContentHash(js.Body);
        Assert.Equal(js.Header("x-ms-content-sha256"), hash);
        Assert.Equal(js.Header("Authorization"),
            AcsHmacAuthenticationPolicy.Authorization(Key, js.Method, js.PathAndQuery, js.Header("x-ms-date")!, js.Header("Host")!, hash));
    }

    private static void AssertRepeatability(CapturedRequest js, CapturedRequest ours)
    {
        Assert.True(Guid.TryParse(js.Header("Repeatability-Request-ID"), out _));
        Assert.True(Guid.TryParse(ours.Header("Repeatability-Request-ID"), out _));
        Assert.Equal(js.Header("Repeatability-First-Sent"), ours.Header("Repeatability-First-Sent"));
        Assert.True(DateTimeOffset.TryParseExact(ours.Header("Repeatability-First-Sent"), "r", CultureInfo.InvariantCulture, DateTimeStyles.None, out _));
    }

    /// <summary>Same property names, nesting and array lengths; equal values except at the listed paths (both uuids there).</summary>
    private static void AssertSameJsonShape(CapturedRequest js, CapturedRequest ours, string[] nonDeterministic)
    {
        Compare(Json(js), Json(ours), "$");

        void Compare(JsonNode? a, JsonNode? b, string path)
        {
            if (nonDeterministic.Contains(path))
            {
                Assert.True(Guid.TryParse(a?.GetValue<string>(), out _), $"{path}: SDK value is not a uuid");
                Assert.True(Guid.TryParse(b?.GetValue<string>(), out _), $"{path}: our value is not a uuid");
                return;
            }

            Assert.True(a?.GetValueKind() == b?.GetValueKind(), $"{path}: SDK {a?.GetValueKind()}, ours {b?.GetValueKind()}");
            switch (a)
            {
                case JsonObject ao:
                    var bo = b!.AsObject();
                    Assert.True(ao.Select(p => p.Key).Order().SequenceEqual(bo.Select(p => p.Key).Order()),
                        $"{path}: SDK has [{string.Join(", ", ao.Select(p => p.Key))}], ours [{string.Join(", ", bo.Select(p => p.Key))}]");
                    foreach (var (name, value) in ao)
                    {
                        Compare(value, bo[name], $"{path}.{name}");
                    }

                    break;
                case JsonArray aa:
                    var ba = b!.AsArray();
                    Assert.True(aa.Count == ba.Count, $"{path}: SDK has {aa.Count} items, ours {ba.Count}");
                    for (var i = 0; i < aa.Count; i++)
                    {
                        Compare(aa[i], ba[i], $"{path}[{i}]");
                    }

                    break;
                default:
                    Assert.True(JsonNode.DeepEquals(a, b), $"{path}: SDK {a?.ToJsonString()}, ours {b?.ToJsonString()}");
                    break;
            }
        }
    }

    private static JsonNode Json(CapturedRequest request) => JsonNode.Parse(request.Body)!;

    private static string? MediaType(string? contentType) => contentType?.Split(';')[0].Trim().ToLowerInvariant();

    private static IEnumerable<string> ProtocolHeaders(CapturedRequest request) =>
        request.Headers.Keys.Select(k => k.ToLowerInvariant())
            .Where(k => k.StartsWith("x-ms-", StringComparison.Ordinal) || k.StartsWith("repeatability-", StringComparison.Ordinal) || k == "operation-id");
}
