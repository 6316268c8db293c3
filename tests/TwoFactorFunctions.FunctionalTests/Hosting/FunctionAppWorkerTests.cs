extern alias FunctionApp;

using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TwoFactorFunctions.Api.Hosting;
using TwoFactorFunctions.Core.Storage;
using FunctionApp::TwoFactorFunctions.FunctionApp.Functions.Http;
using FunctionApp::TwoFactorFunctions.FunctionApp.Functions.Timers;

namespace TwoFactorFunctions.FunctionalTests.Hosting;

/// <summary>
/// The worker's own code, called directly: its functions built from the worker's service registrations (no Functions
/// host runs here), each HTTP function handing a real request to the shared API pipeline on Azurite.
/// </summary>
[Collection(HostingGroup.Name)]
public sealed class FunctionAppWorkerTests(HostingAzurite azurite) : IAsyncLifetime
{
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Storage:Prefix"] = HostingAzurite.NewPrefix(),
            ["TwoFactor:CodeHashSecret"] = Convert.ToBase64String(new byte[32]),
            ["FunctionKeys:Keys:0:Name"] = "portal",
            ["FunctionKeys:Keys:0:Sha256"] = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData("worker-key"u8)),
        });
        builder.AddTwoFactorServices();
        ApiPipeline.Register(builder.Services);
        _host = builder.Build();
        await _host.StartAsync();
        await _host.Services.GetRequiredService<StorageInitializer>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    [Fact]
    public async Task HttpFunction_UpsertThenGetTenant_RunsTheSharedHandlerWithItsKeyCheck()
    {
        var upsert = await InvokeAsync<UpsertTenantFunction>("PUT", "/api/tenants/worker-co", "worker-key", """{"displayName":"Worker Co","defaultRegion":"AU"}""");
        var read = await InvokeAsync<GetTenantFunction>("GET", "/api/tenants/worker-co", "worker-key");

        Assert.True(upsert.Status == HttpStatusCode.OK, upsert.Json.ToString());
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal("Worker Co", read.Json.GetProperty("displayName").GetString());
        Assert.NotNull(await _host.Services.GetRequiredService<ITenantStore>().GetAsync("worker-co", CancellationToken.None));
    }

    [Fact]
    public async Task HttpFunction_NoKeyOrBadInput_AnswersTheSameProblemsAsStandalone()
    {
        var noKey = await InvokeAsync<GetTenantFunction>("GET", "/api/tenants/worker-co", key: null);
        var badId = await InvokeAsync<GetTenantFunction>("GET", "/api/tenants/bad%23id", "worker-key");
        var badJson = await InvokeAsync<UpsertTenantFunction>("PUT", "/api/tenants/worker-co", "worker-key", "{not json");

        Assert.Equal((HttpStatusCode.Unauthorized, "invalid_function_key"), (noKey.Status, noKey.Json.GetProperty("code").GetString()));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_id"), (badId.Status, badId.Json.GetProperty("code").GetString()));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_body"), (badJson.Status, badJson.Json.GetProperty("code").GetString()));
        Assert.Equal("application/problem+json", noKey.ContentType);
    }

    [Fact]
    public async Task HealthAndOpenApiFunctions_NoKey_Answer()
    {
        var health = await InvokeAsync<HealthFunction>("GET", "/api/health", key: null);
        var live = await InvokeAsync<LivenessFunction>("GET", "/api/health/live", key: null);
        var openApi = await InvokeAsync<OpenApiDocumentFunction>("GET", "/openapi/v1.json", key: null);

        Assert.Equal(HttpStatusCode.OK, health.Status);
        Assert.Equal(HttpStatusCode.OK, live.Status);

        // No Durable host runs here, so no task hub was made: degraded, still ready for sign-ins.
        var checks = health.Json.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("state").GetString());
        Assert.Equal(("Degraded", "Healthy", "Degraded"), (health.Json.GetProperty("state").GetString(), checks["storage"], checks["taskhub"]));
        Assert.Equal(HttpStatusCode.OK, openApi.Status);
        Assert.True(openApi.Json.GetProperty("paths").TryGetProperty("/api/tenants/{tenantId}/challenges", out _));
    }

    [Fact]
    public async Task TimerFunction_CleanupExpired_DeletesExpiredDevicesAndKeepsLiveOnes()
    {
        var devices = _host.Services.GetRequiredService<IDeviceTrustStore>();
        var now = DateTimeOffset.UtcNow;
        await devices.InsertAsync(StandaloneHostingTests.NewDevice("expired", now.AddDays(-2), now.AddMinutes(-1)), CancellationToken.None);
        await devices.InsertAsync(StandaloneHostingTests.NewDevice("live", now, now.AddDays(30)), CancellationToken.None);
        var function = ActivatorUtilities.CreateInstance<CleanupExpiredFunction>(_host.Services);

        await function.Run(new Microsoft.Azure.Functions.Worker.TimerInfo(), CancellationToken.None);

        Assert.Null(await devices.GetAsync("tenant-a", "user-1", "expired", CancellationToken.None));
        Assert.NotNull(await devices.GetAsync("tenant-a", "user-1", "live", CancellationToken.None));
    }

    private async Task<(HttpStatusCode Status, JsonElement Json, string? ContentType)> InvokeAsync<TFunction>(string method, string path, string? key, string? body = null)
    {
        using var scope = _host.Services.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("localhost");
        context.Request.Path = new PathString(Uri.UnescapeDataString(path));
        if (key is not null)
        {
            context.Request.Headers["x-functions-key"] = key;
        }

        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = "application/json";
            context.Features.Set<IHttpRequestBodyDetectionFeature>(new HasBody()); // as Kestrel says for a request with a body
        }

        var response = new MemoryStream();
        context.Response.Body = response;

        // What the worker does with an HTTP function's IResult: execute it on the request's HttpContext.
        var function = ActivatorUtilities.CreateInstance<TFunction>(scope.ServiceProvider);
        var result = (IResult)typeof(TFunction).GetMethod("Run")!.Invoke(function, [context.Request])!;
        await result.ExecuteAsync(context);

        response.Position = 0;
        using var document = response.Length == 0 ? JsonDocument.Parse("{}") : await JsonDocument.ParseAsync(response);
        return ((HttpStatusCode)context.Response.StatusCode, document.RootElement.Clone(), context.Response.ContentType);
    }

    private sealed class HasBody : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }
}
