using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.FunctionalTests.Infrastructure;
using TwoFactorFunctions.FunctionalTests.Support;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.FunctionalTests.Operations;

/// <summary>
/// The benchmark's view of the request counter: GET /diagnostics/storage-requests exists only when configured, asks for
/// a function key like the API, stays out of the OpenAPI document, and counts what the sign-in sends to storage.
/// </summary>
[Collection(ServicesGroup.Name)]
public sealed class StorageRequestCountTests(TestServices services)
{
    private const string Path = "/" + DiagnosticsApi.Routes.StorageRequests;

    [Fact]
    public async Task Endpoint_NotConfigured_NotMapped()
    {
        await using var app = new TwoFactorAppFactory(services, "tffdiagoff");
        using var portal = app.CreatePortalClient();

        using var response = await portal.GetAsync(Path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Endpoint_Configured_KeyRequiredOutOfOpenApiAndCountsTheSignInsRequests()
    {
        await using var app = new TwoFactorAppFactory(services, "tffdiagon", new Dictionary<string, string?>
        {
            [DiagnosticsApi.StorageRequestCountSetting] = "true",

            // Nothing else may use storage while the sign-in is counted.
            ["Cleanup:Enabled"] = "false",
        });
        var portal = new PortalApi(app);
        using var anonymous = app.CreateClient();
        using var scoped = app.CreateClient();
        scoped.DefaultRequestHeaders.Add("x-functions-key", TwoFactorAppFactory.ScopedKey);

        using (var noKey = await anonymous.GetAsync(Path))
        {
            await PortalApi.AssertProblemAsync(noKey, HttpStatusCode.Unauthorized, "invalid_function_key");
        }

        // Like every route outside a tenant: a key limited to some tenants may not read a process-wide figure.
        using (var limited = await scoped.GetAsync(Path))
        {
            await PortalApi.AssertProblemAsync(limited, HttpStatusCode.Forbidden, "tenant_forbidden");
        }

        Assert.DoesNotContain("diagnostics", await anonymous.GetStringAsync("/openapi/v1.json"), StringComparison.Ordinal);

        var tenant = PortalApi.NewTenantId("diag");
        await portal.CreateTenantAsync(tenant);
        var email = await portal.CreateUserAsync(tenant, "u1");

        // The set-up wrote the tenant through this instance "now" on the frozen test clock; a moment later the first
        // sign-in's tenant read is remembered. That first sign-in also records the user's proven channel (once).
        app.Time.Advance(TimeSpan.FromMilliseconds(1));
        await SignInAsync(portal, tenant, email, nth: 1);
        var before = await RequestsAsync(portal.Http);
        await SignInAsync(portal, tenant, email, nth: 2);
        var after = await RequestsAsync(portal.Http);

        // The layout's promise (issue 22): create = the user's rows in one query, the expiry entry, one transaction;
        // verify = the user's rows with the challenge in one query beside the tenant as stored, one transaction.
        Assert.Equal(6, after - before);
        Assert.True(app.Services.GetRequiredService<StorageRequestCounter>().Total >= after);
    }

    private static async Task SignInAsync(PortalApi portal, string tenant, string email, int nth)
    {
        var challengeId = await portal.CreateChallengeIdAsync(tenant, "u1");
        using var verified = await portal.VerifyAsync(tenant, challengeId, await portal.ReadCodeAsync(email, nth));
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
    }

    private static async Task<long> RequestsAsync(HttpClient portal) =>
        (await portal.GetFromJsonAsync<JsonElement>(Path)).GetProperty("requests").GetInt64();
}
