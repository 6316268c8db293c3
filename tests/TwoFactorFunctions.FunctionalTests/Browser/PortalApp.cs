using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Storage;
using TwoFactorFunctions.FunctionalTests.Enrolment;
using TwoFactorFunctions.FunctionalTests.Infrastructure;
using TwoFactorFunctions.FunctionalTests.Support;

namespace TwoFactorFunctions.FunctionalTests.Browser;

/// <summary>
/// The standalone app on a real socket (Kestrel on 127.0.0.1), in Development with the demo company, its demo portal
/// and its identity provider, as the run command serves them: the page at <c>http://localhost:{port}/demo/</c>, the API
/// at <c>http://127.0.0.1:{port}</c> — two origins, so every browser call crosses CORS as a real portal's would.
/// Passkeys belong to the page's origin (relying party <c>localhost</c>).
/// </summary>
public sealed class PortalApp : IAsyncDisposable
{
    public const string TenantId = "demo-company";
    public const string Password = "Portal-test-2026";
    public const string Audience = "api://twofactorfunctions-test";

    private readonly EnrolmentAppFactory _factory;

    private PortalApp(TestServices services, IReadOnlyDictionary<string, string?>? extra)
    {
        // The origins below are settings, so the port must be known before the app starts; Kestrel binding port 0
        // would only tell it afterwards, and choosing a free port to hand over leaves a window for someone else to
        // take it. So the socket is bound here (the OS picks the port) and Kestrel is given that very socket.
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        var handle = (ulong)socket.Handle;

        // Kestrel owns the descriptor from here on and closes it when it stops; this Socket must never close it too.
        socket.SafeHandle.SetHandleAsInvalid();
        Services = services;
        var settings = new Dictionary<string, string?>
        {
            ["Demo:Seed"] = "true",
            ["BrowserAccess:Authority"] = $"{ApiOrigin}/dev/oidc",
            ["BrowserAccess:Audience"] = Audience,
            ["BrowserAccess:RequireHttpsMetadata"] = "false",
            ["BrowserAccess:AllowedOrigins:0"] = PageOrigin,
            ["DemoPortal:Enabled"] = "true",
            ["DemoPortal:Password"] = Password,
            ["DemoPortal:ApiBase"] = ApiOrigin,
            ["DemoPortal:MailDevUrl"] = services.MailDev.WebUrl.ToString(),

            // Passkeys: a browser refuses an IP address as the relying party, so they belong to the page's localhost.
            ["TwoFactor:Passkeys:RelyingPartyId"] = "localhost",
            ["TwoFactor:Passkeys:RelyingPartyName"] = "TwoFactorFunctions",
            ["TwoFactor:Passkeys:Origins:0"] = PageOrigin,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        _factory = new EnrolmentAppFactory(services, settings);
        _factory.UseKestrel(k => k.ListenHandle(handle));
    }

    public int Port { get; }

    public TestServices Services { get; }

    /// <summary>Where the browser loads the portal.</summary>
    public string PageOrigin => $"http://localhost:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Where the portal's script calls the API.</summary>
    public string ApiOrigin => $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public IServiceProvider AppServices => _factory.Services;

    public EnrolmentAppFactory Factory => _factory;

    public static async Task<PortalApp> StartAsync(TestServices services, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var app = new PortalApp(services, settings);
        app._factory.StartServer();
        using var http = new HttpClient { BaseAddress = new Uri(app.ApiOrigin) };

        // The demo company is seeded in the background: wait for its admin.
        var users = app.AppServices.GetRequiredService<IUserStore>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await users.GetAsync(TenantId, "user005", CancellationToken.None) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the demo company was not seeded");
            await Task.Delay(250);
        }

        return app;
    }

    /// <summary>Opens the portal's sign-in page in the browser with the user picked and the password typed in.</summary>
    public async Task OpenSignInAsync(IPage page, string userId)
    {
        await page.GotoAsync(PageOrigin + "/demo/#/sign-in");
        await page.SelectOptionAsync("#signin-user", userId);
        await page.FillAsync("#signin-password", Password);
    }

    /// <summary>A client of the API as a browser would be: no function key.</summary>
    public HttpClient Browser() => new() { BaseAddress = new Uri(ApiOrigin) };

    /// <summary>The portal's server side (the demo portal's own endpoints).</summary>
    public HttpClient Portal() => new() { BaseAddress = new Uri(PageOrigin) };

    /// <summary>A client with the dev function key, for set-up and for reading back what the browser did.</summary>
    public HttpClient Server()
    {
        var client = new HttpClient { BaseAddress = new Uri(ApiOrigin) };
        client.DefaultRequestHeaders.Add("x-functions-key", EnrolmentKit.DevFunctionKey);
        return client;
    }

    public async Task SetTenantAsync(Func<Tenant, Tenant> change)
    {
        var tenants = AppServices.GetRequiredService<ITenantStore>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var tenant = (await tenants.GetAsync(TenantId, CancellationToken.None))!;
            if (await tenants.TryReplaceAsync(change(tenant), CancellationToken.None))
            {
                return;
            }
        }

        throw new InvalidOperationException("tenant kept changing");
    }

    public async Task<DirectoryUser> UserAsync(string userId) =>
        (await AppServices.GetRequiredService<IUserStore>().GetAsync(TenantId, userId, CancellationToken.None))!;

    /// <summary>How many emails the address has had: the demo company's addresses are the same in every test.</summary>
    public async Task<int> MailCountAsync(string email) =>
        (await Services.Mail.GetAllAsync()).Count(m => m.To.Any(a => string.Equals(a.Address, email, StringComparison.OrdinalIgnoreCase)));

    /// <summary>
    /// The first code in an email to the address from the n-th on (counting from the first ever): a notice from another
    /// test's run may land in between. The code is registered for the run-wide secret scan.
    /// </summary>
    public async Task<string> ReadCodeAsync(string email, int nth)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        for (var count = nth; ; count++)
        {
            var messages = await Services.Mail.WaitForEmailsAsync(email, count, deadline - DateTime.UtcNow);
            var match = System.Text.RegularExpressions.Regex.Match(messages[count - 1].Text ?? "", @"\b(\d{6})\b");
            if (match.Success)
            {
                SecretScan.Saw(match.Groups[1].Value);
                return match.Groups[1].Value;
            }
        }
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, object body, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return client.SendAsync(request);
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();
}
