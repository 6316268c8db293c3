using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.FunctionalTests.Infrastructure;
using TwoFactorFunctions.FunctionalTests.Support;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.FunctionalTests.SignIn;

/// <summary>
/// The tenant row an instance remembers for issuing challenges (TwoFactor:TenantCacheLifetime, 5 s by default), against
/// a change made by another instance: written to the table directly, as that instance's store would.
/// </summary>
[Collection(ServicesGroup.Name)]
public sealed class TenantCacheTests(TestServices services) : IAsyncLifetime, IDisposable
{
    private readonly TwoFactorAppFactory _app = new(services, "tffcache");
    private PortalApi _portal = null!;
    private string _tenant = "";

    public async Task InitializeAsync()
    {
        _portal = new PortalApi(_app);
        _tenant = PortalApi.NewTenantId();
        await _portal.CreateTenantAsync(_tenant, twoFactorOn: false);
        await _portal.CreateUserAsync(_tenant, "u1");

        // The set-up wrote the tenant through this instance, which marks the row as changed "now"; a read at the same
        // instant of the frozen test clock could have started before that write, so it would not be remembered.
        _app.Time.Advance(TimeSpan.FromMilliseconds(1));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task CreateChallenge_SwitchedOnByAnotherInstanceMomentsAgo_ChallengedAtOnce()
    {
        Assert.Equal(HttpStatusCode.OK, (await _portal.CreateChallengeAsync(_tenant, "u1")).StatusCode);

        await ChangeElsewhereAsync(t => t with { TwoFactorEnabled = true });

        // This instance still remembers "off", but an answer without a challenge is decided on the row as stored.
        Assert.Equal(HttpStatusCode.Created, (await _portal.CreateChallengeAsync(_tenant, "u1")).StatusCode);
    }

    [Fact]
    public async Task CreateChallenge_SwitchedOffByAnotherInstance_StillChallengedOnlyWithinTheLifetime()
    {
        await ChangeElsewhereAsync(t => t with { TwoFactorEnabled = true });
        Assert.Equal(HttpStatusCode.Created, (await _portal.CreateChallengeAsync(_tenant, "u1")).StatusCode);

        await ChangeElsewhereAsync(t => t with { TwoFactorEnabled = false });
        var meanwhile = await _portal.CreateChallengeAsync(_tenant, "u1");
        _app.Time.Advance(TimeSpan.FromSeconds(5));
        var after = await _portal.CreateChallengeAsync(_tenant, "u1");

        // The remembered row errs on the strict side, for the documented lifetime and no longer.
        Assert.Equal(HttpStatusCode.Created, meanwhile.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task CreateChallenge_SwitchedOffThroughThisInstance_SeenAtOnce()
    {
        await _portal.SetPolicyAsync(_tenant, t => t with { TwoFactorEnabled = true });
        Assert.Equal(HttpStatusCode.Created, (await _portal.CreateChallengeAsync(_tenant, "u1")).StatusCode);

        await _portal.SetPolicyAsync(_tenant, t => t with { TwoFactorEnabled = false });

        Assert.Equal(HttpStatusCode.OK, (await _portal.CreateChallengeAsync(_tenant, "u1")).StatusCode);
    }

    /// <summary>Another instance's write: straight to the table, past this instance's memory of the row.</summary>
    private async Task ChangeElsewhereAsync(Func<Tenant, Tenant> change)
    {
        var elsewhere = new TableTenantStore(_app.Services.GetRequiredService<TableStorage>());
        var tenant = await elsewhere.GetAsync(_tenant, CancellationToken.None);
        Assert.True(await elsewhere.TryReplaceAsync(change(tenant!), CancellationToken.None));
    }
}
