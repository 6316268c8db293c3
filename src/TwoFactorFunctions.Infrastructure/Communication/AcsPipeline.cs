using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using TwoFactorFunctions.Core.Messaging;

namespace TwoFactorFunctions.Infrastructure.Communication;

/// <summary>
/// One Azure.Core pipeline (retry, logging, diagnostics, authentication) to an ACS resource, shared by the email,
/// SMS and Call Automation clients, plus the request and error plumbing they have in common.
/// </summary>
public sealed class AcsPipeline
{
    /// <summary>Entra ID scope of ACS data-plane calls (the double slash is part of it).</summary>
    public const string Scope = "https://communication.azure.com//.default";

    // Relaxed escaping keeps '+' in phone numbers and '<' in HTML literal, as the SDKs send them; the body is JSON
    // for an API, never embedded in a page.
    internal static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private AcsPipeline(Uri endpoint, HttpPipeline pipeline, AcsClientOptions options, TimeProvider time)
    {
        Endpoint = endpoint;
        Pipeline = pipeline;
        Options = options;
        Time = time;
    }

    public Uri Endpoint { get; }

    public HttpPipeline Pipeline { get; }

    public AcsClientOptions Options { get; }

    public TimeProvider Time { get; }

    /// <summary>Access-key authentication: every attempt is HMAC-signed with the key from the connection string.</summary>
    public static AcsPipeline Create(AcsConnectionString connectionString, AcsClientOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        ArgumentNullException.ThrowIfNull(options);
        var pipeline = HttpPipelineBuilder.Build(options, new AcsHmacAuthenticationPolicy(connectionString, time));
        return new AcsPipeline(connectionString.Endpoint, pipeline, options, time);
    }

    /// <summary>Entra ID authentication (managed identity in Azure) with a bearer token for <see cref="Scope"/>.</summary>
    public static AcsPipeline Create(Uri endpoint, TokenCredential credential, AcsClientOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        var pipeline = HttpPipelineBuilder.Build(options, new BearerTokenAuthenticationPolicy(credential, Scope));
        return new AcsPipeline(endpoint, pipeline, options, time);
    }

    /// <summary>
    /// A stable UUID for one logical send, so every retry of it (pipeline retries and re-run activities alike) carries
    /// the same idempotency id and ACS drops the duplicates. Name-based (RFC 9562 version 8 over SHA-256), scoped per
    /// operation so the email and SMS for one key never share an id.
    /// </summary>
    public static Guid IdempotencyId(string scope, string idempotencyKey)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"twofactorfunctions:acs:{scope}:{idempotencyKey}"), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    internal HttpMessage CreateMessage(RequestMethod method, string path, string apiVersion, object? body)
    {
        var message = Pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(Endpoint);
        request.Uri.AppendPath(path, escape: false);
        request.Uri.AppendQuery("api-version", apiVersion, escapeValue: true);
        request.Headers.SetValue(HttpHeader.Names.Accept, "application/json");
        if (body is not null)
        {
            request.Headers.SetValue(HttpHeader.Names.ContentType, "application/json");
            // Bytes, not a stream: the content is replayed on every retry and hashed by the HMAC policy.
            request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(body, Json));
        }

        return message;
    }

    internal void AddRepeatability(HttpMessage message, Guid requestId)
    {
        // Set once, before the pipeline: retries must repeat the first attempt's values for ACS to recognise them.
        message.Request.Headers.SetValue("Repeatability-Request-ID", requestId.ToString("D"));
        message.Request.Headers.SetValue("Repeatability-First-Sent", AcsHmacAuthenticationPolicy.FormatDate(Time.GetUtcNow()));
    }

    /// <summary>
    /// Sends through the pipeline (which already retried 408/429/5xx honouring Retry-After) and turns anything but
    /// <paramref name="expected"/> into a <see cref="DeliveryException"/> naming only the service, status and ACS error code.
    /// </summary>
    internal async Task<Response> SendAsync(HttpMessage message, string service, int[] expected, CancellationToken cancellationToken)
    {
        try
        {
            await Pipeline.SendAsync(message, cancellationToken);
        }
        // After several failed attempts Azure.Core throws an AggregateException of the per-attempt failures.
        catch (Exception ex) when (ex is RequestFailedException
                                   || (ex is AggregateException agg && agg.InnerExceptions.All(e => e is RequestFailedException)))
        {
            throw new DeliveryException($"Azure Communication Services ({service}) could not be reached.", ex);
        }

        var response = message.Response;
        if (Array.IndexOf(expected, response.Status) < 0)
        {
            throw Failure(service, response);
        }

        return response;
    }

    internal DeliveryException Failure(string service, Response response)
    {
        var code = ErrorCode(response);
        var text = code is null
            ? $"Azure Communication Services ({service}) answered {response.Status}."
            : $"Azure Communication Services ({service}) answered {response.Status} ({code}).";
        return new DeliveryException(text, null, response.Status == 429 || response.Status >= 500 ? RetryAfter(response) : null);
    }

    /// <summary>Retry-After as seconds or an HTTP date, or the millisecond variants ACS also sends.</summary>
    internal TimeSpan? RetryAfter(Response response)
    {
        foreach (var name in new[] { "retry-after-ms", "x-ms-retry-after-ms" })
        {
            if (response.Headers.TryGetValue(name, out var ms) && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var msValue) && msValue >= 0)
            {
                return TimeSpan.FromMilliseconds(msValue);
            }
        }

        if (!response.Headers.TryGetValue("Retry-After", out var value) || string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (RetryConditionHeaderValue.TryParse(value, out var parsed) && parsed.Date is { } date)
        {
            var wait = date - Time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>
    /// The ACS error code (x-ms-error-code, or error.code in the body) when it looks like a code. The error message is
    /// never used: it can quote the recipient.
    /// </summary>
    internal static string? ErrorCode(Response response)
    {
        if (response.Headers.TryGetValue("x-ms-error-code", out var header) && IsCode(header))
        {
            return header;
        }

        try
        {
            var content = response.Content;
            if (content is null || content.ToMemory().IsEmpty)
            {
                return null;
            }

            using var doc = JsonDocument.Parse(content.ToMemory());
            if (doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String && IsCode(code.GetString()))
            {
                return code.GetString();
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    private static bool IsCode(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
}
