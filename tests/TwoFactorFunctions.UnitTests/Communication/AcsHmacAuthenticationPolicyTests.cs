using System.Net;
using System.Text;
using Azure.Core;
using TwoFactorFunctions.Infrastructure.Communication;
using TwoFactorFunctions.Tests.Contracts;

namespace TwoFactorFunctions.UnitTests.Communication;

public class AcsHmacAuthenticationPolicyTests
{
    public static TheoryData<int> Vectors() => [.. Enumerable.Range(0, AcsHmacVectors.All.Length)];

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Authorization_JsSdkVector_ProducesTheSameSignature(int index)
    {
        var v = AcsHmacVectors.All[index];
        var uri = new Uri(v.Url);
        var key = AcsConnectionString.Parse($"endpoint={uri.GetLeftPart(UriPartial.Authority)};accesskey={AcsHmacVectors.AccessKey}").Key;

        var hash = AcsHmacAuthenticationPolicy.ContentHash(Encoding.UTF8.GetBytes(v.Body));
        var authorization = AcsHmacAuthenticationPolicy.Authorization(key, v.Method, uri.PathAndQuery, AcsHmacVectors.Date,
            AcsHmacAuthenticationPolicy.SignedHost(uri), hash);

        Assert.Equal(v.ContentSha256, hash);
        Assert.Equal(v.Authorization, authorization);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public async Task ProcessAsync_JsSdkVectorThroughPipeline_SetsTheSdkHeaders(int index)
    {
        var v = AcsHmacVectors.All[index];
        var uri = new Uri(v.Url);
        var stub = new StubAcs((_, _) => StubAcs.Empty(HttpStatusCode.OK));
        var acs = stub.Pipeline(endpoint: uri.GetLeftPart(UriPartial.Authority));

        using var message = acs.Pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Parse(v.Method);
        message.Request.Uri.Reset(uri);
        if (v.Body.Length > 0)
        {
            message.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(v.Body));
        }

        await acs.Pipeline.SendAsync(message, CancellationToken.None);

        var sent = Assert.Single(stub.Requests);
        Assert.Equal(AcsHmacVectors.Date, sent.Header("x-ms-date"));
        Assert.Equal(v.ContentSha256, sent.Header("x-ms-content-sha256"));
        Assert.Equal(v.Authorization, sent.Header("Authorization"));
        Assert.Equal(uri.Authority, sent.Header("Host"));
    }

    [Fact]
    public void StringToSign_PostWithPort_FollowsTheDocumentedLayout()
    {
        var text = AcsHmacAuthenticationPolicy.StringToSign("post", "/sms?api-version=2021-03-07", "Wed, 04 Mar 2026 05:06:07 GMT",
            "127.0.0.1:8080", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");

        Assert.Equal("POST\n/sms?api-version=2021-03-07\nWed, 04 Mar 2026 05:06:07 GMT;127.0.0.1:8080;47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", text);
    }

    [Fact]
    public async Task ProcessAsync_Retry_SignsEachAttemptWithItsOwnDate()
    {
        StubAcs? stub = null;
        stub = new StubAcs((_, attempt) =>
        {
            if (attempt == 1)
            {
                stub!.Time.Advance(TimeSpan.FromSeconds(3));
                return StubAcs.Empty(HttpStatusCode.ServiceUnavailable);
            }

            return StubAcs.Empty(HttpStatusCode.OK);
        });
        var acs = stub.Pipeline();
        using var message = acs.Pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Get;
        message.Request.Uri.Reset(new Uri("https://contoso.communication.azure.com/emails/operations/x?api-version=2025-09-01"));

        await acs.Pipeline.SendAsync(message, CancellationToken.None);

        Assert.Equal(2, stub.Requests.Count);
        Assert.Equal("Wed, 04 Mar 2026 05:06:07 GMT", stub.Requests[0].Header("x-ms-date"));
        Assert.Equal("Wed, 04 Mar 2026 05:06:10 GMT", stub.Requests[1].Header("x-ms-date"));
        Assert.NotEqual(stub.Requests[0].Header("Authorization"), stub.Requests[1].Header("Authorization"));
    }
}
