using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Hosting;
using TwoFactorFunctions.FunctionalTests.Infrastructure;
using TwoFactorFunctions.FunctionalTests.Support;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.FunctionalTests.Hardening;

/// <summary>
/// Table-driven over every tenant endpoint the app maps (discovered from its routing table, so a new endpoint is
/// covered without touching this file): cross-tenant isolation and bad input, each with storage compared before and after.
/// </summary>
[Collection(ServicesGroup.Name)]
public sealed class EndpointMatrixTests(TestServices services) : IAsyncLifetime, IDisposable
{
    /// <summary>Called by the portal's own server (after its password check), so they take no acting user.</summary>
    private static readonly string[] PortalServerEndpoints =
    [
        "UpsertTenant", "PatchTenant", "GetTenant", "UpsertUser", "PatchUser", "GetUser", "DeleteUser", "ImportUsers", "CreateChallenge", "GetChallenge", "SendChallengeCode", "VerifyChallenge",
        "OpenPasskeyCeremony",
        // The sign-in's required actions run before the sign-in completes, so there is no signed-in actor yet; the
        // sign-in policy and the terms are the portal operator's.
        "GetSignInPolicy", "UpdateSignInPolicy", "PublishTerms", "CheckPassword", "CompletePasswordChange", "GetRecoveryQuestion", "SetRecoveryQuestion", "CheckRecoveryAnswer", "AcceptTerms",
        // "This wasn't me": the reporter is not signed in (the attacker may hold the session); the notice's token is the credential.
        "ReportChange",
    ];

    /// <summary>Bodies of the actor endpoints whose members are required; the others take "{}".</summary>
    private static readonly Dictionary<string, string> WellFormedBodies = new(StringComparer.Ordinal)
    {
        ["ForceRequiredActions"] = """{"actions":["AcceptTerms"]}""",
        ["ConfirmAuthenticatorEnrolment"] = """{"code":"123456"}""",
        ["RenamePasskey"] = """{"name":"Laptop"}""",
        ["FinishPasskeyRegistration"] = """{"ceremonyId":"c1","credential":{}}""",
    };

    private static readonly string[] BadIds =
        ["a%2Fb", "a%5Cb", "a%23b", "a%3Fb", "a%01b", "a%7Fb", new string('x', 1500), "x'%20or%20PartitionKey%20ne%20'", "a%7Cb"];

    private readonly TwoFactorAppFactory _app = new(services, "tffmatrix");
    private readonly string _tenantB = PortalApi.NewTenantId("b");
    private PortalApi _portal = null!;
    private string _challengeB = "";

    public async Task InitializeAsync()
    {
        _portal = new PortalApi(_app);
        await _portal.CreateTenantAsync(TwoFactorAppFactory.ScopedTenant);
        await _portal.CreateUserAsync(TwoFactorAppFactory.ScopedTenant, "admin-a", role: "Admin");
        await _portal.CreateTenantAsync(_tenantB);
        await _portal.CreateUserAsync(_tenantB, "admin", role: "Admin");
        var email = await _portal.CreateUserAsync(_tenantB, "u1");
        var trusted = await _portal.CreateChallengeIdAsync(_tenantB, "u1");
        await _portal.VerifyAsync(_tenantB, trusted, await _portal.ReadCodeAsync(email), rememberDevice: true);
        _challengeB = await _portal.CreateChallengeIdAsync(_tenantB, "u1");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task EveryTenantEndpoint_ScopedKeyOfTenantA_ForbiddenAndNothingChanged()
    {
        var scoped = _app.CreateClient();
        scoped.DefaultRequestHeaders.Add("x-functions-key", TwoFactorAppFactory.ScopedKey);
        scoped.DefaultRequestHeaders.Add("X-Actor-Id", "admin-a");
        var before = await SnapshotAsync();

        foreach (var endpoint in TenantEndpoints())
        {
            var response = await scoped.SendAsync(Request(endpoint, RouteValues(_tenantB)));
            await AssertProblem(endpoint, response, HttpStatusCode.Forbidden, "tenant_forbidden");
        }

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task EveryEndpointWithoutTenant_ScopedKey_AnonymousOnesAnswerAsBeforeAndThereAreNoOthers()
    {
        var scoped = _app.CreateClient();
        scoped.DefaultRequestHeaders.Add("x-functions-key", TwoFactorAppFactory.ScopedKey);
        var tenantless = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => !e.RoutePattern.RawText!.Contains("{tenantId}", StringComparison.Ordinal))
            .ToList();

        // Anything without a tenant in its route is open by design (health, OpenAPI, ACS callbacks with their own
        // token) or refused to a scoped key (TenantlessKeyedEndpoint_... below): none may quietly serve every tenant.
        Assert.All(tenantless, e => Assert.True(e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null,
            $"{e.RoutePattern.RawText} has no tenant and is not anonymous"));
        foreach (var path in new[] { "/api/health", "/api/health/live", "/openapi/v1.json" })
        {
            // Health reports its own readiness (200 or 503); what matters is that no caller check stands in the way.
            var response = await scoped.GetAsync(path);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable,
                $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task TenantlessKeyedEndpoint_ScopedKey_403TenantForbiddenAndTheAllTenantsKeyPasses()
    {
        // The app has no keyed route without a tenant any more, so one is added to a host built like the app's
        // (same services, same middleware): the refusal is the generic rule, not a special case of one endpoint.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(_app.Settings());
        builder.AddTwoFactorServices();
        await using var host = builder.Build();
        host.MapGet("/api/everyone", () => "every tenant's data");
        host.UseTwoFactorApi();
        await host.StartAsync();
        var client = host.GetTestClient();

        var scoped = new HttpRequestMessage(HttpMethod.Get, "/api/everyone");
        scoped.Headers.Add("x-functions-key", TwoFactorAppFactory.ScopedKey);
        await AssertProblem(null, await client.SendAsync(scoped), HttpStatusCode.Forbidden, "tenant_forbidden");

        var portal = new HttpRequestMessage(HttpMethod.Get, "/api/everyone");
        portal.Headers.Add("x-functions-key", TwoFactorAppFactory.PortalKey);
        var allowed = await client.SendAsync(portal);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        await host.StopAsync();
    }

    [Fact]
    public async Task EveryActorEndpoint_AdminOfTenantAActingOnTenantB_ForbiddenAndNothingChanged()
    {
        var before = await SnapshotAsync();
        var checkedCount = 0;

        foreach (var endpoint in TenantEndpoints().Where(e => !PortalServerEndpoints.Contains(e.Name)))
        {
            // A well-formed body (its required members present), so the answer is about the actor, not the body.
            var request = Request(endpoint, RouteValues(_tenantB), WellFormedBodies.GetValueOrDefault(endpoint.Name, "{}"));
            request.Headers.Add("X-Actor-Id", "admin-a");
            var response = await _portal.Http.SendAsync(request);
            await AssertProblem(endpoint, response, HttpStatusCode.Forbidden, "actor_forbidden");
            checkedCount++;
        }

        Assert.True(checkedCount >= 8, $"only {checkedCount} actor endpoints found");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task ChallengeEndpoints_TenantBChallengeIdUnderTenantA_NotFoundAndNothingChanged()
    {
        var before = await SnapshotAsync();

        foreach (var endpoint in TenantEndpoints().Where(e => e.Pattern.Contains("{challengeId}", StringComparison.Ordinal) && PortalServerEndpoints.Contains(e.Name)))
        {
            // A well-formed body for each, so the answer is about the challenge (a verify checks its code's format first).
            var body = endpoint.Name == "VerifyChallenge" ? """{"code":"123456"}""" : "{}";
            var response = await _portal.Http.SendAsync(Request(endpoint, RouteValues(TwoFactorAppFactory.ScopedTenant), body));
            await AssertProblem(endpoint, response, HttpStatusCode.NotFound, "challenge_not_found");
        }

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task EveryTenantEndpoint_BadIdInAnyRouteValue_400InvalidIdAndNothingChanged()
    {
        var before = await SnapshotAsync();
        var cases = 0;

        foreach (var endpoint in TenantEndpoints())
        {
            foreach (var parameter in endpoint.Parameters)
            {
                foreach (var bad in BadIds)
                {
                    var values = RouteValues(_tenantB);
                    values[parameter] = bad;
                    var request = Request(endpoint, values);
                    request.Headers.Add("X-Actor-Id", "admin");
                    var response = await _portal.Http.SendAsync(request);
                    var text = await AssertProblem(endpoint, response, HttpStatusCode.BadRequest, "invalid_id", $"{parameter}={bad[..Math.Min(bad.Length, 30)]}");
                    var problem = JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString();
                    Assert.True(problem?.StartsWith($"'{parameter}' must be", StringComparison.Ordinal) == true, $"{endpoint.Name} {endpoint.Method}: names the wrong id: {problem}");
                    cases++;
                }
            }
        }

        Assert.True(cases > 100, $"only {cases} cases");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task EveryBodyEndpoint_MalformedOrWrongTypedJson_400InvalidRequestAndNothingChanged()
    {
        var before = await SnapshotAsync();
        string[] bodies = ["{", "{\"userId\": ", "not json",
            """{"userId":5,"code":7,"enabled":"yes","email":5,"displayName":5,"phone":5,"deviceToken":5,"send":"sometimes","role":7,"password":5,"receipt":5,"questionId":5,"answer":5,"version":"two","url":5,"actions":["Sometimes"],"passwordPolicy":5,"recoveryQuestions":5,"verifiedChallengeId":5,"factor":"Sometimes","factors":5,"token":5,"discoverable":"yes","ceremonyId":5,"name":5}"""];

        foreach (var endpoint in TenantEndpoints().Where(e => e.AcceptsBody))
        {
            foreach (var body in bodies)
            {
                var request = Request(endpoint, RouteValues(_tenantB), body);
                request.Headers.Add("X-Actor-Id", "admin");
                var response = await _portal.Http.SendAsync(request);
                await AssertProblem(endpoint, response, HttpStatusCode.BadRequest, "invalid_body", body);
            }
        }

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task EveryBodyEndpoint_OversizedBody_413AndNothingChanged()
    {
        var before = await SnapshotAsync();
        var huge = $$"""{"displayName":"{{new string('x', 200_000)}}"}""";

        foreach (var endpoint in TenantEndpoints().Where(e => e.AcceptsBody && e.Name != "ImportUsers"))
        {
            var request = Request(endpoint, RouteValues(_tenantB), huge);
            request.Headers.Add("X-Actor-Id", "admin");
            await AssertProblem(endpoint, await _portal.Http.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "body_too_large");
        }

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Endpoints_UnknownTenantUserOrChallenge_404()
    {
        var unknownTenant = "nobody-" + Guid.NewGuid().ToString("N");
        await AssertProblem(null, await _portal.Http.GetAsync($"/api/tenants/{unknownTenant}"), HttpStatusCode.NotFound, "tenant_not_found");
        await AssertProblem(null, await _portal.CreateChallengeAsync(unknownTenant, "u1"), HttpStatusCode.NotFound, "tenant_not_found");
        await AssertProblem(null, await _portal.CreateChallengeAsync(_tenantB, "ghost"), HttpStatusCode.NotFound, "user_not_found");
        await AssertProblem(null, await _portal.Http.GetAsync($"/api/tenants/{_tenantB}/challenges/nope"), HttpStatusCode.NotFound, "challenge_not_found");
        await AssertProblem(null, await _portal.VerifyAsync(_tenantB, "nope", "123456"), HttpStatusCode.NotFound, "challenge_not_found");
    }

    private Dictionary<string, string> RouteValues(string tenantId) => new()
    {
        ["tenantId"] = tenantId,
        ["userId"] = "u1",
        ["challengeId"] = _challengeB,
        ["deviceId"] = "device1",
        ["runId"] = "run1",
    };

    private static HttpRequestMessage Request(Endpoint endpoint, Dictionary<string, string> values, string body = "{}")
    {
        var path = endpoint.Pattern;
        foreach (var parameter in endpoint.Parameters)
        {
            path = path.Replace("{" + parameter + "}", values.GetValueOrDefault(parameter, "x1"), StringComparison.Ordinal);
        }

        var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), path);
        if (endpoint.AcceptsBody)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return request;
    }

    /// <summary>Asserts the problem's status, media type and code; returns its body for further checks.</summary>
    private static async Task<string> AssertProblem(Endpoint? endpoint, HttpResponseMessage response, HttpStatusCode status, string code, string? detail = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        var where = endpoint is null ? "" : $"{endpoint.Name} {endpoint.Method} {endpoint.Pattern} {detail}: ";
        Assert.True(response.StatusCode == status, $"{where}expected {(int)status} {code}, got {(int)response.StatusCode} {text}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{where}not problem+json: {text}");
        Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("code").GetString() == code, $"{where}expected code {code}: {text}");
        return text;
    }

    private IEnumerable<Endpoint> TenantEndpoints()
    {
        var source = _app.Services.GetRequiredService<EndpointDataSource>();
        foreach (var route in source.Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + route.RoutePattern.RawText!.TrimStart('/');
            if (!pattern.Contains("{tenantId}", StringComparison.Ordinal) || route.Metadata.GetMetadata<IHttpMethodMetadata>() is not { } methods)
            {
                continue;
            }

            var name = route.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? pattern;
            var acceptsBody = route.Metadata.GetMetadata<IAcceptsMetadata>() is not null;
            foreach (var method in methods.HttpMethods)
            {
                yield return new Endpoint(name, method, pattern.TrimEnd('/'), route.RoutePattern.Parameters.Select(p => p.Name).ToArray(), acceptsBody);
            }
        }
    }

    /// <summary>Every row of every table of this app instance, with its ETag: any write shows up as a difference.</summary>
    private async Task<string> SnapshotAsync()
    {
        var storage = _app.Services.GetRequiredService<TableStorage>();
        var rows = new List<string>();
        foreach (var table in storage.All)
        {
            await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
            {
                rows.Add($"{table.Name}/{row.PartitionKey}/{row.RowKey}/{row.ETag}");
            }
        }

        rows.Sort(StringComparer.Ordinal);
        return string.Join("\n", rows);
    }

    private sealed record Endpoint(string Name, string Method, string Pattern, string[] Parameters, bool AcceptsBody);
}
