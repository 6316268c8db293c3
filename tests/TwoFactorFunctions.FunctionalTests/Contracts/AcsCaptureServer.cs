using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TwoFactorFunctions.FunctionalTests.Contracts;

/// <summary>One request as the capture server received it.</summary>
public sealed record CapturedRequest(string Scenario, string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string PathAndQuery => Path + Query;

    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A stand-in ACS resource on 127.0.0.1: records every request (method, path and query, headers, body bytes) and
/// answers the way ACS does for email, SMS and Call Automation, so both the official SDKs and our clients complete.
/// Requests are grouped by scenario: <c>GET /__scenario/{name}</c> (or <see cref="Mark"/>) starts a new group.
/// </summary>
public sealed class AcsCaptureServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<CapturedRequest> _requests = new();
    private volatile string _scenario = "";
    private int _disposed;

    private AcsCaptureServer(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyList<CapturedRequest> Requests => [.. _requests];

    /// <summary>What ACS answers a call connection for, so tests can follow a call id through.</summary>
    public string CallConnectionId { get; set; } = "cc-contract-1";

    public static async Task<AcsCaptureServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new AcsCaptureServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return server;
    }

    public void Mark(string scenario) => _scenario = scenario;

    public IReadOnlyList<CapturedRequest> For(string scenario) => [.. _requests.Where(r => r.Scenario == scenario)];

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        if (path.StartsWith("/__scenario/", StringComparison.Ordinal))
        {
            _scenario = Uri.UnescapeDataString(path["/__scenario/".Length..]);
            context.Response.StatusCode = 204;
            return;
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _requests.Enqueue(new CapturedRequest(_scenario, request.Method, path, request.QueryString.Value ?? "", headers, buffer.ToArray()));

        var host = request.Host.Value;
        var response = context.Response;
        if (path == "/emails:send")
        {
            var id = request.Headers["Operation-Id"].FirstOrDefault() ?? "op-contract-1";
            response.StatusCode = 202;
            response.Headers["Operation-Location"] = $"http://{host}/emails/operations/{id}{request.QueryString}";
            response.Headers["Retry-After"] = "0";
            await response.WriteAsJsonAsync(new { id, status = "Running" });
        }
        else if (path.StartsWith("/emails/operations/", StringComparison.Ordinal))
        {
            await response.WriteAsJsonAsync(new { id = path["/emails/operations/".Length..], status = "Succeeded" });
        }
        else if (path == "/sms")
        {
            response.StatusCode = 202;
            await response.WriteAsJsonAsync(new
            {
                value = new[] { new { to = "+10000000000", messageId = "msg-contract-1", httpStatusCode = 202, repeatabilityResult = "accepted", successful = true } },
            });
        }
        else if (path == "/calling/callConnections")
        {
            response.StatusCode = 201;
            await response.WriteAsJsonAsync(new { callConnectionId = CallConnectionId, callConnectionState = "connecting" });
        }
        else if (path.EndsWith(":play", StringComparison.Ordinal))
        {
            response.StatusCode = 202;
        }
        else if (path.EndsWith(":terminate", StringComparison.Ordinal))
        {
            response.StatusCode = 204;
        }
        else
        {
            response.StatusCode = 404;
        }
    }
}
