using System.Net;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Time.Testing;
using TwoFactorFunctions.Infrastructure.Communication;
using TwoFactorFunctions.Tests.Contracts;

namespace TwoFactorFunctions.UnitTests.Communication;

/// <summary>A request as it left the pipeline's transport.</summary>
internal sealed record SentRequest(string Method, Uri Uri, Dictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}

/// <summary>
/// An ACS stand-in behind the real HttpClientTransport: a message handler that records each attempt and answers
/// from a script, so retries, headers and signing are exercised exactly as they go on the wire.
/// </summary>
internal sealed class StubAcs : HttpMessageHandler
{
    private readonly Func<SentRequest, int, HttpResponseMessage> _answer;

    public StubAcs(Func<SentRequest, int, HttpResponseMessage> answer) => _answer = answer;

    public List<SentRequest> Requests { get; } = [];

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse(AcsHmacVectors.Now, System.Globalization.CultureInfo.InvariantCulture));

    public static HttpResponseMessage Json(HttpStatusCode status, string json, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    public static HttpResponseMessage Empty(HttpStatusCode status, params (string Name, string Value)[] headers) => Json(status, "", headers);

    /// <summary>A pipeline signed with the test key, fast fixed retries, and this stub as the transport.</summary>
    public AcsPipeline Pipeline(int maxRetries = 3, string endpoint = "https://contoso.communication.azure.com/")
    {
        var options = Options(maxRetries);
        return AcsPipeline.Create(AcsConnectionString.Parse($"endpoint={endpoint};accesskey={AcsHmacVectors.AccessKey}"), options, Time);
    }

    public AcsClientOptions Options(int maxRetries = 3)
    {
        var options = new AcsClientOptions { Transport = new HttpClientTransport(new HttpClient(this)) };
        options.Retry.Mode = RetryMode.Fixed;
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxRetries = maxRetries;
        return options;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var h in request.Headers)
        {
            headers[h.Key] = string.Join(",", h.Value);
        }

        if (request.Content is not null)
        {
            foreach (var h in request.Content.Headers)
            {
                headers[h.Key] = string.Join(",", h.Value);
            }
        }

        headers["Host"] = request.Headers.Host ?? request.RequestUri!.Authority;
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var sent = new SentRequest(request.Method.Method, request.RequestUri!, headers, body);
        lock (Requests)
        {
            Requests.Add(sent);
            return _answer(sent, Requests.Count);
        }
    }
}
