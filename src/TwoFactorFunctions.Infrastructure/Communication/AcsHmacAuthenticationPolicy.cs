using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace TwoFactorFunctions.Infrastructure.Communication;

/// <summary>
/// Signs each attempt with the ACS access key (HMAC-SHA256 over verb, path and query, date, host and body hash).
/// Registered per retry, so every retry carries a fresh <c>x-ms-date</c> and signature.
/// </summary>
public sealed class AcsHmacAuthenticationPolicy : HttpPipelinePolicy
{
    public const string SignedHeaders = "x-ms-date;host;x-ms-content-sha256";

    private readonly byte[] _key;
    private readonly TimeProvider _time;

    public AcsHmacAuthenticationPolicy(AcsConnectionString connectionString, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        _key = connectionString.Key;
        _time = time;
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        Sign(message, ReadBody(message));
        ProcessNext(message, pipeline);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        Sign(message, await ReadBodyAsync(message));
        await ProcessNextAsync(message, pipeline);
    }

    /// <summary>base64(SHA-256(body)); the empty body hashes too.</summary>
    public static string ContentHash(ReadOnlySpan<byte> body) => Convert.ToBase64String(SHA256.HashData(body));

    /// <summary>The string ACS signs: <c>VERB\npath?query\ndate;host;contentHash</c>.</summary>
    public static string StringToSign(string method, string pathAndQuery, string date, string host, string contentHash) =>
        $"{method.ToUpperInvariant()}\n{pathAndQuery}\n{date};{host};{contentHash}";

    /// <summary>The whole <c>Authorization</c> value for one request.</summary>
    public static string Authorization(byte[] key, string method, string pathAndQuery, string date, string host, string contentHash)
    {
        var signature = Convert.ToBase64String(
            HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(StringToSign(method, pathAndQuery, date, host, contentHash))));
        return $"HMAC-SHA256 SignedHeaders={SignedHeaders}&Signature={signature}";
    }

    /// <summary>The host as the server sees it in the Host header: with the port unless it is the scheme's default.</summary>
    public static string SignedHost(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>RFC 1123, the form the SDKs send (<c>Wed, 04 Mar 2026 05:06:07 GMT</c>).</summary>
    public static string FormatDate(DateTimeOffset at) => at.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);

    private void Sign(HttpMessage message, byte[] body)
    {
        var request = message.Request;
        var uri = request.Uri.ToUri();
        var date = FormatDate(_time.GetUtcNow());
        var hash = ContentHash(body);
        request.Headers.SetValue("x-ms-date", date);
        request.Headers.SetValue("x-ms-content-sha256", hash);
        request.Headers.SetValue(HttpHeader.Names.Authorization,
            Authorization(_key, request.Method.Method, uri.PathAndQuery, date, SignedHost(uri), hash));
    }

    private static byte[] ReadBody(HttpMessage message)
    {
        if (message.Request.Content is not { } content)
        {
            return [];
        }

        using var buffer = new MemoryStream();
        content.WriteTo(buffer, message.CancellationToken);
        return buffer.ToArray();
    }

    private static async ValueTask<byte[]> ReadBodyAsync(HttpMessage message)
    {
        if (message.Request.Content is not { } content)
        {
            return [];
        }

        using var buffer = new MemoryStream();
        await content.WriteToAsync(buffer, message.CancellationToken);
        return buffer.ToArray();
    }
}
