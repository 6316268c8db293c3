using TwoFactorFunctions.FunctionalTests.Infrastructure;

namespace TwoFactorFunctions.FunctionalTests.Browser;

/// <summary>
/// A test class of the demo portal in a real browser: a Chromium and the portal app started for each test (a fresh
/// tenant state and browser context), both stopped after it.
/// </summary>
public abstract class PortalBrowserTest(TestServices services) : IAsyncLifetime
{
    protected TestServices Services => services;

    protected Chromium Browser { get; } = new();

    protected PortalApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Browser.InitializeAsync();
        App = await PortalApp.StartAsync(services);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Browser.DisposeAsync();
    }
}
