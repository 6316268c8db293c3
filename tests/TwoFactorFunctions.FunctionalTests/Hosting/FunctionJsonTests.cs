using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TwoFactorFunctions.App.Http;
using TwoFactorFunctions.Infrastructure.Queues;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.FunctionalTests.Hosting;

/// <summary>
/// host.json and functions/*/function.json against the app itself: every endpoint the app maps under /api has a
/// function.json with the same route, methods and auth level, and every function.json names something the app serves.
/// Adding an endpoint (or a queue handler) without its function.json fails here, with the missing name in the message.
/// </summary>
[Collection(HostingGroup.Name)]
public sealed class FunctionJsonTests(HostingAzurite azurite) : IDisposable
{
    /// <summary>
    /// Queue functions whose function.json exists before their <see cref="IQueueHandler"/> is merged (the enrolment
    /// work). Delete each name once its handler is registered: from then on its queue name is checked too.
    /// </summary>
    private static readonly string[] PendingQueueFunctions = [];

    private static readonly string FunctionsRoot = Path.Combine(HostingAzurite.RepoRoot, "functions");

    private static readonly string LocalSettingsSample = Path.Combine(HostingAzurite.RepoRoot, "local.settings.sample.json");

    // As deployed: Production (so no development-only endpoints), under the host, on the sample settings alone.
    private readonly HostingAppFactory _app = new(azurite, underFunctionsHost: true, settings: SampleSettings(), environment: "Production");

    public void Dispose() => _app.Dispose();

    /// <summary>local.settings.sample.json's values as configuration, but with the test's storage endpoint and prefix.</summary>
    private static Dictionary<string, string?> SampleSettings() =>
        JsonNode.Parse(File.ReadAllText(LocalSettingsSample))!["Values"]!.AsObject()
            .Where(v => v.Key is not ("AzureWebJobsStorage" or "ASPNETCORE_ENVIRONMENT" or "Storage__Prefix"))
            .ToDictionary(v => v.Key.Replace("__", ":", StringComparison.Ordinal), v => (string?)v.Value!.GetValue<string>());

    private HostingAppFactory Started()
    {
        _app.CreateClient().Dispose();
        return _app;
    }

    private static Dictionary<string, JsonObject> FunctionJsons() =>
        Directory.GetDirectories(FunctionsRoot).ToDictionary(
            dir => Path.GetFileName(dir),
            dir => JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "function.json")))!.AsObject(),
            StringComparer.Ordinal);

    private static JsonObject Trigger(JsonObject functionJson) =>
        functionJson["bindings"]!.AsArray().Select(b => b!.AsObject()).Single(b => b["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal));

    private List<RouteEndpoint> Endpoints() =>
        Started().Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

    [Fact]
    public void FunctionJson_EveryFolder_ParsesWithOneKnownTrigger()
    {
        var functions = FunctionJsons();

        Assert.NotEmpty(functions);
        foreach (var (name, json) in functions)
        {
            var trigger = Trigger(json);
            var type = trigger["type"]!.GetValue<string>();
            Assert.True(type is "httpTrigger" or "queueTrigger" or "timerTrigger", $"{name}: unexpected trigger {type}");
            Assert.Equal("in", trigger["direction"]!.GetValue<string>());
            Assert.Matches("^[A-Za-z][A-Za-z0-9_-]*$", name);
        }
    }

    [Fact]
    public void HttpEndpoints_EachHasAFunctionJson_WithTheSameRouteMethodsAndAuthLevel()
    {
        var functions = FunctionJsons();
        var problems = new List<string>();

        foreach (var endpoint in Endpoints().Where(e => e.Metadata.GetMetadata<FunctionInvocationMetadata>() is null))
        {
            var route = endpoint.RoutePattern.RawText!.Trim('/');
            if (route.StartsWith("openapi/", StringComparison.Ordinal))
            {
                continue;
            }

            if (!route.StartsWith("api/", StringComparison.Ordinal) && route != "api")
            {
                problems.Add($"/{route}: HTTP functions live under /api (host.json routePrefix)");
                continue;
            }

            var name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
            if (name is null)
            {
                problems.Add($"/{route}: needs .WithName(nameof(Function)) — the name is the function.json folder");
                continue;
            }

            if (!functions.TryGetValue(name, out var json))
            {
                problems.Add($"{name}: add functions/{name}/function.json (httpTrigger, route \"{route["api/".Length..]}\")");
                continue;
            }

            var trigger = Trigger(json);
            var methods = (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => m.ToLowerInvariant()).Order().ToList();
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var bindings = json["bindings"]!.AsArray().Select(b => b!.AsObject()).ToList();

            Check(trigger["type"]?.GetValue<string>() == "httpTrigger", $"{name}: trigger must be httpTrigger");
            Check(trigger["route"]?.GetValue<string>().Trim('/') == route["api/".Length..], $"{name}: route must be \"{route["api/".Length..]}\"");
            Check(trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>().ToLowerInvariant()).Order().SequenceEqual(methods),
                $"{name}: methods must be [{string.Join(", ", methods)}]");
            Check(trigger["authLevel"]?.GetValue<string>() == (anonymous ? "anonymous" : "function"),
                $"{name}: authLevel must be {(anonymous ? "anonymous" : "function")}");
            Check(bindings.Any(b => b["type"]?.GetValue<string>() == "http" && b["direction"]?.GetValue<string>() == "out"),
                $"{name}: needs an http output binding (forwarded requests answer through it)");
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));

        void Check(bool ok, string problem)
        {
            if (!ok)
            {
                problems.Add(problem);
            }
        }
    }

    [Fact]
    public void HttpFunctionJsons_EachNamesAnEndpointTheAppMaps()
    {
        var names = Endpoints().Select(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName).OfType<string>().ToHashSet(StringComparer.Ordinal);

        // Mapped only when Messaging:PhoneProvider is Acs (as deployed); this test app runs without an ACS resource.
        names.Add("AcsCallback");

        var orphans = FunctionJsons()
            .Where(f => Trigger(f.Value)["type"]!.GetValue<string>() == "httpTrigger" && !names.Contains(f.Key))
            .Select(f => f.Key)
            .ToList();

        Assert.True(orphans.Count == 0, "function.json without an endpoint of that name: " + string.Join(", ", orphans));
    }

    [Fact]
    public void QueueFunctionJsons_EachNamesARegisteredHandlerOnItsQueue()
    {
        var handlers = Started().Services.GetServices<IQueueHandler>().ToDictionary(h => h.FunctionName, StringComparer.Ordinal);
        var invocations = Endpoints().Select(e => e.Metadata.GetMetadata<FunctionInvocationMetadata>()).OfType<FunctionInvocationMetadata>()
            .ToDictionary(m => m.FunctionName, StringComparer.Ordinal);
        var deploymentPrefix = new StorageOptions().Prefix;
        var problems = new List<string>();

        foreach (var (name, json) in FunctionJsons().Where(f => Trigger(f.Value)["type"]!.GetValue<string>() == "queueTrigger"))
        {
            var trigger = Trigger(json);
            if (trigger["name"]?.GetValue<string>() != "message")
            {
                problems.Add($"{name}: the trigger binding must be named \"message\"");
            }

            if (trigger["connection"]?.GetValue<string>() != "AzureWebJobsStorage")
            {
                problems.Add($"{name}: connection must be AzureWebJobsStorage");
            }

            if (!handlers.TryGetValue(name, out var handler))
            {
                if (!PendingQueueFunctions.Contains(name))
                {
                    problems.Add($"{name}: no IQueueHandler with FunctionName \"{name}\" is registered");
                }

                continue;
            }

            if (trigger["queueName"]?.GetValue<string>() != $"{deploymentPrefix}-{handler.Queue}")
            {
                problems.Add($"{name}: queueName must be \"{deploymentPrefix}-{handler.Queue}\"");
            }

            if (!invocations.TryGetValue(name, out var invocation) || invocation.Trigger != "queueTrigger")
            {
                problems.Add($"{name}: the app does not answer POST /{name}");
            }
        }

        foreach (var handler in handlers.Values.Where(h => !Directory.Exists(Path.Combine(FunctionsRoot, h.FunctionName))))
        {
            problems.Add($"{handler.FunctionName}: add functions/{handler.FunctionName}/function.json (queueTrigger on \"{deploymentPrefix}-{handler.Queue}\", name \"message\")");
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void TimerFunctionJson_CleanupExpired_UsesTheScheduleSettingAndAnInvocationEndpoint()
    {
        var timers = FunctionJsons().Where(f => Trigger(f.Value)["type"]!.GetValue<string>() == "timerTrigger").ToList();
        var invocations = Endpoints().Select(e => e.Metadata.GetMetadata<FunctionInvocationMetadata>()).OfType<FunctionInvocationMetadata>().ToList();

        var (name, json) = Assert.Single(timers);
        Assert.Equal("CleanupExpired", name);
        var trigger = Trigger(json);
        Assert.Equal("timer", trigger["name"]!.GetValue<string>());
        Assert.Equal("%CleanupSchedule%", trigger["schedule"]!.GetValue<string>());
        Assert.Contains(invocations, i => i.FunctionName == name && i.Trigger == "timerTrigger");
    }

    [Fact]
    public void HostJson_IsACustomHandlerForwardingHttpToThePublishedApp()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(HostingAzurite.RepoRoot, "host.json")))!;

        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", host["extensionBundle"]!["id"]!.GetValue<string>());
        Assert.Equal("[4.*, 5.0.0)", host["extensionBundle"]!["version"]!.GetValue<string>());
        Assert.Equal("app/TwoFactorFunctions.App", host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>());
        Assert.Equal("app", host["customHandler"]!["description"]!["workingDirectory"]!.GetValue<string>());
        Assert.True(host["customHandler"]!["enableForwardingHttpRequest"]!.GetValue<bool>());
        Assert.Equal("api", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());

        // The app writes and reads queue messages as plain text; the host must not expect base64.
        var queues = host["extensions"]!["queues"]!;
        Assert.Equal("none", queues["messageEncoding"]!.GetValue<string>());
        Assert.InRange(queues["batchSize"]!.GetValue<int>(), 1, 32);
        Assert.Equal(new QueueListenerOptions().MaxDequeueCount, queues["maxDequeueCount"]!.GetValue<int>());
        Assert.Equal(new QueueListenerOptions().VisibilityTimeout, TimeSpan.Parse(queues["visibilityTimeout"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotNull(host["logging"]!["logLevel"]);
    }

    [Fact]
    public async Task LocalSettingsSample_CustomRuntimeAndDevValues_AppStartsOnThemAlone()
    {
        var values = JsonNode.Parse(await File.ReadAllTextAsync(LocalSettingsSample))!["Values"]!.AsObject();

        Assert.Equal("custom", values["FUNCTIONS_WORKER_RUNTIME"]!.GetValue<string>());
        Assert.Equal("UseDevelopmentStorage=true", values["AzureWebJobsStorage"]!.GetValue<string>());
        var schedule = values["CleanupSchedule"]!.GetValue<string>();
        Assert.Equal("0 */5 * * * *", schedule);
        Assert.Equal(6, schedule.Split(' ').Length);
        Assert.False(string.IsNullOrEmpty(values["TwoFactor__CodeHashSecret"]?.GetValue<string>()));

        // _app runs in Production (no appsettings.Development.json) on the sample's values: they alone must pass the
        // app's start-up validation.
        using var client = _app.CreateClient();
        var health = await client.GetAsync("/api/health");

        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
    }
}
