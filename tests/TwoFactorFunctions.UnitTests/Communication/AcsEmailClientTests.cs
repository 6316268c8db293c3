using System.Net;
using System.Text.Json;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Infrastructure.Communication;

namespace TwoFactorFunctions.UnitTests.Communication;

public class AcsEmailClientTests
{
    private static readonly EmailMessage Message = new("margaret.collins@example.com", "Margaret Collins", "Sign-in code",
        "Your code is 482913", "<p>Your code is <b>482913</b></p>", "challenge-1:v1");

    private static HttpResponseMessage Accepted(string id) => StubAcs.Json(HttpStatusCode.Accepted, $"{{\"id\":\"{id}\",\"status\":\"Running\"}}",
        ("Operation-Location", $"https://contoso.communication.azure.com/emails/operations/{id}?api-version=2025-09-01"), ("retry-after", "5"));

    [Fact]
    public async Task SendAsync_Accepted_PostsEmailsSendWithOperationIdAndBody()
    {
        var operationId = AcsEmailClient.OperationIdFor(Message).ToString("D");
        var stub = new StubAcs((_, _) => Accepted(operationId));

        var id = await new AcsEmailClient(stub.Pipeline()).SendAsync(Message, "DoNotReply@contoso.example", CancellationToken.None);

        var sent = Assert.Single(stub.Requests);
        Assert.Equal(operationId, id);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/emails:send?api-version=2025-09-01", sent.Uri.PathAndQuery);
        Assert.Equal(operationId, sent.Header("Operation-Id"));
        Assert.StartsWith("application/json", sent.Header("Content-Type"), StringComparison.Ordinal);
        using var body = JsonDocument.Parse(sent.Body);
        var root = body.RootElement;
        Assert.Equal("DoNotReply@contoso.example", root.GetProperty("senderAddress").GetString());
        Assert.Equal("Sign-in code", root.GetProperty("content").GetProperty("subject").GetString());
        Assert.Equal(Message.Html, root.GetProperty("content").GetProperty("html").GetString());
        Assert.Equal("margaret.collins@example.com", root.GetProperty("recipients").GetProperty("to")[0].GetProperty("address").GetString());
        Assert.Equal("Margaret Collins", root.GetProperty("recipients").GetProperty("to")[0].GetProperty("displayName").GetString());
        Assert.True(root.GetProperty("userEngagementTrackingDisabled").GetBoolean());
    }

    [Fact]
    public void OperationIdFor_SameKey_SameUuidAndDifferentKeyDiffers()
    {
        var first = AcsEmailClient.OperationIdFor(Message);
        var again = AcsEmailClient.OperationIdFor(Message with { Subject = "other" });
        var other = AcsEmailClient.OperationIdFor(Message with { IdempotencyKey = "challenge-1:v2" });

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", first.ToString("D"));
    }

    [Fact]
    public async Task SendAsync_503Then202_RetriesWithTheSameOperationIdAndBody()
    {
        var stub = new StubAcs((_, attempt) => attempt < 3 ? StubAcs.Empty(HttpStatusCode.ServiceUnavailable) : Accepted("x"));

        await new AcsEmailClient(stub.Pipeline()).SendAsync(Message, "DoNotReply@contoso.example", CancellationToken.None);

        Assert.Equal(3, stub.Requests.Count);
        Assert.Single(stub.Requests.Select(r => r.Header("Operation-Id")).Distinct());
        Assert.Single(stub.Requests.Select(r => r.Body).Distinct());
        Assert.Equal(AcsEmailClient.OperationIdFor(Message).ToString("D"), stub.Requests[0].Header("Operation-Id"));
    }

    [Fact]
    public async Task SendAsync_429WithRetryAfterZeroThen202_Retries()
    {
        var stub = new StubAcs((_, attempt) => attempt == 1 ? StubAcs.Empty(HttpStatusCode.TooManyRequests, ("Retry-After", "0")) : Accepted("x"));

        await new AcsEmailClient(stub.Pipeline()).SendAsync(Message, "DoNotReply@contoso.example", CancellationToken.None);

        Assert.Equal(2, stub.Requests.Count);
    }

    [Fact]
    public async Task SendAsync_429AfterRetries_ThrowsDeliveryExceptionWithRetryAfter()
    {
        var stub = new StubAcs((_, _) => StubAcs.Json(HttpStatusCode.TooManyRequests,
            "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"Too many emails to margaret.collins@example.com\"}}", ("Retry-After", "30")));

        var ex = await Assert.ThrowsAsync<DeliveryException>(() =>
            new AcsEmailClient(stub.Pipeline(maxRetries: 0)).SendAsync(Message, "DoNotReply@contoso.example", CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(30), ex.RetryAfter);
        Assert.Contains("429", ex.Message, StringComparison.Ordinal);
        Assert.Contains("TooManyRequests", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("margaret", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SendAsync_400QuotingTheMessage_ThrowsWithoutRecipientOrCode()
    {
        var stub = new StubAcs((_, _) => StubAcs.Json(HttpStatusCode.BadRequest,
            "{\"error\":{\"code\":\"InvalidRecipient\",\"message\":\"margaret.collins@example.com rejected: Your code is 482913\"}}"));

        var ex = await Assert.ThrowsAsync<DeliveryException>(() =>
            new AcsEmailClient(stub.Pipeline()).SendAsync(Message, "DoNotReply@contoso.example", CancellationToken.None));

        Assert.Single(stub.Requests);
        Assert.Contains("InvalidRecipient", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("margaret", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("482913", ex.ToString(), StringComparison.Ordinal);
        Assert.Null(ex.RetryAfter);
    }

    [Fact]
    public async Task SendAsync_ErrorCodeThatIsNotACode_LeftOut()
    {
        var stub = new StubAcs((_, _) => StubAcs.Json(HttpStatusCode.BadRequest, "{\"error\":{\"code\":\"bad code 482913 for x@y\"}}"));

        var ex = await Assert.ThrowsAsync<DeliveryException>(() =>
            new AcsEmailClient(stub.Pipeline()).SendAsync(Message, "DoNotReply@contoso.example", CancellationToken.None));

        Assert.DoesNotContain("482913", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_Unreachable_ThrowsDeliveryException()
    {
        var stub = new StubAcs((_, _) => throw new HttpRequestException("connection refused"));

        var ex = await Assert.ThrowsAsync<DeliveryException>(() =>
            new AcsEmailClient(stub.Pipeline(maxRetries: 1)).SendAsync(Message, "DoNotReply@contoso.example", CancellationToken.None));

        Assert.Equal(2, stub.Requests.Count);
        Assert.IsType<AggregateException>(ex.InnerException);
        Assert.All(((AggregateException)ex.InnerException!).InnerExceptions, e => Assert.IsType<Azure.RequestFailedException>(e));
    }

    [Fact]
    public async Task GetStatusAsync_Failed_ReadsStatusAndErrorCode()
    {
        var stub = new StubAcs((_, _) => StubAcs.Json(HttpStatusCode.OK,
            "{\"id\":\"op-1\",\"status\":\"Failed\",\"error\":{\"code\":\"EmailDroppedAllRecipientsSuppressed\",\"message\":\"x\"}}"));

        var status = await new AcsEmailClient(stub.Pipeline()).GetStatusAsync("op-1", CancellationToken.None);

        var sent = Assert.Single(stub.Requests);
        Assert.Equal("GET", sent.Method);
        Assert.Equal("/emails/operations/op-1?api-version=2025-09-01", sent.Uri.PathAndQuery);
        Assert.Equal("Failed", status.Status);
        Assert.True(status.IsTerminal);
        Assert.Equal("EmailDroppedAllRecipientsSuppressed", status.ErrorCode);
    }

    [Fact]
    public async Task WaitUntilTerminalAsync_RunningWithRetryAfter_WaitsAsAskedThenReturnsSucceeded()
    {
        var polledAt = new List<DateTimeOffset>();
        StubAcs? stub = null;
        stub = new StubAcs((_, attempt) =>
        {
            polledAt.Add(stub!.Time.GetUtcNow());
            return attempt == 1
                ? StubAcs.Json(HttpStatusCode.OK, "{\"id\":\"op-1\",\"status\":\"Running\"}", ("Retry-After", "7"))
                : StubAcs.Json(HttpStatusCode.OK, "{\"id\":\"op-1\",\"status\":\"Succeeded\"}");
        });
        var client = new AcsEmailClient(stub.Pipeline());

        var wait = client.WaitUntilTerminalAsync("op-1", TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), CancellationToken.None);
        for (var i = 0; i < 200 && !wait.IsCompleted; i++)
        {
            await Task.Delay(10);
            stub.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var status = await wait;
        Assert.Equal("Succeeded", status.Status);
        Assert.Equal(2, polledAt.Count);
        Assert.True(polledAt[1] - polledAt[0] >= TimeSpan.FromSeconds(7), $"polled again after {polledAt[1] - polledAt[0]}");
    }
}
