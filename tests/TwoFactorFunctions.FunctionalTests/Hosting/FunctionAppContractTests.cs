using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TwoFactorFunctions.Workflows.Enrolment;

namespace TwoFactorFunctions.FunctionalTests.Hosting;

/// <summary>
/// The function app's build output (what Azure runs) against the standalone host: the same HTTP routes and methods,
/// every orchestrator and activity the standalone engine registers is a function, the timer is there, and host.json
/// configures the Durable extension on the task hub the standalone engine uses. No Functions host runs here.
/// </summary>
[Collection(HostingGroup.Name)]
public sealed class FunctionAppContractTests(HostingAzurite azurite)
{
    private static readonly string Output = typeof(FunctionAppContractTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FunctionAppOutput").Value!;

    private static JsonArray Metadata() => JsonNode.Parse(File.ReadAllText(Path.Combine(Output, "functions.metadata")))!.AsArray();

    private static JsonNode Trigger(JsonNode function) =>
        function["bindings"]!.AsArray().Single(b => b!["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal))!;

    [Fact]
    public void HttpFunctions_AgainstStandaloneEndpoints_SameRoutesAndMethodsBothWays()
    {
        // Development (the dev outbox) with ACS placing the calls (its callback): every conditional endpoint is mapped.
        using var app = new HostingAppFactory(azurite, settings: new Dictionary<string, string?>
        {
            ["Messaging:PhoneProvider"] = "Acs",
            ["Acs:ConnectionString"] = $"endpoint=https://acs.example/;accesskey={Convert.ToBase64String(new byte[32])}",
            ["Acs:SmsFrom"] = "+18005550100",
            ["Acs:CallerId"] = "+18005550100",
            ["Acs:CallbackBaseUri"] = "https://tff.example/",
            ["Acs:CognitiveServicesEndpoint"] = "https://tff-ai.cognitiveservices.azure.com/",
            ["Acs:ImmutableResourceId"] = "00000000-0000-0000-0000-000000000000",
        });
        using var client = app.CreateClient(); // builds the pipeline, which maps the endpoints
        // The demo portal and its identity provider are the standalone host's own, in Development only.
        var standalone = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<App.DemoPortal.DemoPortalEndpoint>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m =>
                $"{e.Metadata.GetMetadata<EndpointNameMetadata>()?.EndpointName} {m} {Normalise(e.RoutePattern.RawText!)}"))
            .Order().ToList();
        var functions = Metadata().Where(f => Trigger(f!)["type"]!.GetValue<string>() == "httpTrigger" && f!["name"]!.GetValue<string>() != "CorsPreflight")
            .SelectMany(f => Trigger(f!)["methods"]!.AsArray().Select(m =>
                $"{f!["name"]!.GetValue<string>()} {m!.GetValue<string>().ToUpperInvariant()} {Normalise(Trigger(f)["route"]!.GetValue<string>())}"))
            .Order().ToList();

        Assert.Equal(standalone, functions);

        // Preflights: the standalone host's CORS middleware answers them before routing; in Azure, one catch-all function.
        var preflight = Assert.Single(Metadata(), f => f!["name"]!.GetValue<string>() == "CorsPreflight")!;
        Assert.Equal(("{*path}", "options"), (Trigger(preflight)["route"]!.GetValue<string>(), Assert.Single(Trigger(preflight)["methods"]!.AsArray())!.GetValue<string>()));
    }

    [Fact]
    public void HttpFunctions_AllOfThem_AnonymousAtTheHostSoTheAppsOwnKeyCheckDecides()
    {
        var levels = Metadata().Where(f => Trigger(f!)["type"]!.GetValue<string>() == "httpTrigger")
            .Select(f => Trigger(f!)["authLevel"]!.GetValue<string>()).Distinct().ToList();

        Assert.Equal(["Anonymous"], levels);
    }

    [Fact]
    public void DurableFunctions_AgainstStandaloneEngine_EveryOrchestratorAndActivityIsAFunction()
    {
        var orchestrators = Metadata().Where(f => Trigger(f!)["type"]!.GetValue<string>() == "orchestrationTrigger").Select(f => f!["name"]!.GetValue<string>());
        var activities = Metadata().Where(f => Trigger(f!)["type"]!.GetValue<string>() == "activityTrigger").Select(f => f!["name"]!.GetValue<string>());

        Assert.Equal([EnrolmentWorkflow.Orchestrator], orchestrators);
        Assert.Equal(EnrolmentWorkflow.Activities.Select(t => t.Name).Order(), activities.Order());
    }

    [Fact]
    public void TimerFunction_CleanupExpired_ScheduleFromTheAppSetting()
    {
        var timer = Assert.Single(Metadata(), f => Trigger(f!)["type"]!.GetValue<string>() == "timerTrigger")!;

        Assert.Equal("CleanupExpired", timer["name"]!.GetValue<string>());
        Assert.Equal("%CleanupSchedule%", Trigger(timer)["schedule"]!.GetValue<string>());
    }

    [Fact]
    public void BuildOutput_IsolatedWorkerWithDurableExtension_NoCustomHandler()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(Output, "host.json")))!;
        var worker = JsonNode.Parse(File.ReadAllText(Path.Combine(Output, "worker.config.json")))!;
        var extensions = JsonNode.Parse(File.ReadAllText(Path.Combine(Output, "extensions.json")))!["extensions"]!.AsArray();

        Assert.Equal(File.ReadAllText(Path.Combine(HostingAzurite.RepoRoot, "host.json")), File.ReadAllText(Path.Combine(Output, "host.json")));
        Assert.Null(host["customHandler"]);
        Assert.Equal("", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        var durable = host["extensions"]!["durableTask"]!;
        Assert.Equal("%DurableHubName%", durable["hubName"]!.GetValue<string>());
        Assert.Equal("AzureStorage", durable["storageProvider"]!["type"]!.GetValue<string>());
        Assert.True(durable["storageProvider"]!["useTablePartitionManagement"]!.GetValue<bool>());

        // The host emits OpenTelemetry too, and Durable's own spans (orchestration, activities) join the run's trace.
        Assert.Equal("OpenTelemetry", host["telemetryMode"]!.GetValue<string>());
        Assert.True(durable["tracing"]!["distributedTracingEnabled"]!.GetValue<bool>());
        Assert.Equal("V2", durable["tracing"]!["version"]!.GetValue<string>());
        Assert.Equal("TwoFactorFunctions.FunctionApp.dll", Path.GetFileName(worker["description"]!["defaultWorkerPath"]!.GetValue<string>()));
        Assert.Contains(extensions, e => e!["name"]!.GetValue<string>() == "DurableTask");
        Assert.True(Directory.Exists(Path.Combine(Output, ".azurefunctions")));
    }

    [Fact]
    public void LocalSettingsSample_EverySettingTheWorkerNeeds_IsolatedRuntime()
    {
        var values = JsonNode.Parse(File.ReadAllText(Path.Combine(HostingAzurite.RepoRoot, "local.settings.sample.json")))!["Values"]!;

        Assert.Equal("dotnet-isolated", values["FUNCTIONS_WORKER_RUNTIME"]!.GetValue<string>());
        foreach (var setting in new[] { "AzureWebJobsStorage", "CleanupSchedule", "DurableHubName", "TwoFactor__CodeHashSecret", "FunctionKeys__Keys__0__Sha256", "Smtp__Host" })
        {
            Assert.NotNull(values[setting]);
        }

        // One setting names the task hub for both hosts; the sample uses the standalone engine's default.
        Assert.Equal("DurableHubName", Api.HealthChecks.TaskHubName.Setting);
        Assert.Equal(Api.HealthChecks.TaskHubName.Default, values["DurableHubName"]!.GetValue<string>());
        Assert.Null(values["Durable__HubName"]);
    }

    [Fact]
    public void HostJson_DurableExtension_SameValuesAsTheStandaloneEngine()
    {
        // The repository's host.json (what the build copies), against the standalone engine's defaults: the two hosts
        // share one task hub, so they must lay it out and pace it alike.
        var durable = JsonNode.Parse(File.ReadAllText(Path.Combine(HostingAzurite.RepoRoot, "host.json")))!["extensions"]!["durableTask"]!;
        var provider = durable["storageProvider"]!;
        var standalone = new App.Durable.DurableOptions();

        Assert.Equal($"%{Api.HealthChecks.TaskHubName.Setting}%", durable["hubName"]!.GetValue<string>());
        Assert.Equal(Api.HealthChecks.TaskHubName.Default, standalone.HubName);
        Assert.Equal(standalone.PartitionCount, provider["partitionCount"]!.GetValue<int>());
        Assert.Equal(standalone.MaxQueuePollingInterval, TimeSpan.Parse(provider["maxQueuePollingInterval"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        Assert.Equal(standalone.VisibilityTimeout, TimeSpan.Parse(provider["workItemQueueVisibilityTimeout"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        Assert.Equal(standalone.VisibilityTimeout, TimeSpan.Parse(provider["controlQueueVisibilityTimeout"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        Assert.Equal(standalone.MaxConcurrentActivities, durable["maxConcurrentActivityFunctions"]!.GetValue<int>());
        Assert.Equal(standalone.MaxConcurrentOrchestrations, durable["maxConcurrentOrchestratorFunctions"]!.GetValue<int>());
    }

    /// <summary>
    /// ASP.NET keeps a group's "/" as a trailing slash; the Functions host has no leading one; the OpenAPI route's
    /// document name is the one document this API has.
    /// </summary>
    private static string Normalise(string route) => route.Trim('/').Replace("{documentName}", "v1", StringComparison.Ordinal);
}
