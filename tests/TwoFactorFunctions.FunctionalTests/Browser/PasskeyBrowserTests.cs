using System.Text.Json;
using Microsoft.Playwright;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.FunctionalTests.Infrastructure;

namespace TwoFactorFunctions.FunctionalTests.Browser;

/// <summary>
/// Passkeys in the demo portal, in a real Chromium against the real API: the browser's own WebAuthn dialogs answered by
/// a virtual authenticator (Chrome DevTools Protocol, <c>WebAuthn</c> domain) with a platform-like key that does user
/// verification. The page is at <c>http://localhost:{port}</c>, the relying party <c>localhost</c> (PortalApp).
/// </summary>
[Collection(ServicesGroup.Name)]
public sealed class PasskeyBrowserTests(TestServices services) : PortalBrowserTest(services)
{
    [Fact]
    public async Task User_AddsAPasskeyInMyAccount_SignsOutAndSignsInWithIt()
    {
        var user = await App.UserAsync("user004");
        var (page, authenticator) = await NewPageWithAuthenticatorAsync();
        await AddPasskeyAsync(page, user, "Test laptop");

        // The browser's dialog made one resident key for this relying party, and the API lists it under its name.
        var credentials = await authenticator.CredentialsAsync();
        var credential = Assert.Single(credentials);
        Assert.Equal("localhost", credential.GetProperty("rpId").GetString());
        Assert.True(credential.GetProperty("isResidentCredential").GetBoolean());
        var listed = await ListedPasskeysAsync(user.UserId);
        Assert.Equal("Test laptop", Assert.Single(listed).GetProperty("name").GetString());

        // Signed out and in again: the second step offers "Use a passkey", and the passkey alone gets the user in.
        await StartSignInAsync(page, user.UserId);
        await Chromium.ScreenshotAsync(page, "passkey-sign-in");
        await page.ClickAsync("#challenge-passkey");
        await Assertions.Expect(page.Locator("#signed-in-as")).ToContainTextAsync(user.DisplayName);
        await Assertions.Expect(page.Locator("#home-reason")).ToContainTextAsync("You signed in with a passkey.");

        // The authenticator signed once more (its counter moved on) and the API saw the passkey used.
        Assert.True((await authenticator.CredentialsAsync())[0].GetProperty("signCount").GetInt32() > credential.GetProperty("signCount").GetInt32());
        Assert.Equal(JsonValueKind.String, Assert.Single(await ListedPasskeysAsync(user.UserId)).GetProperty("lastUsedAt").ValueKind);
    }

    [Fact]
    public async Task SignIn_PasskeyWithABogusSignature_RefusedAndThePageSaysSo()
    {
        var user = await App.UserAsync("user002");
        var (page, authenticator) = await NewPageWithAuthenticatorAsync();
        await AddPasskeyAsync(page, user, "Forged");
        await StartSignInAsync(page, user.UserId);

        await authenticator.SendAsync("WebAuthn.setResponseOverrideBits", new() { ["isBogusSignature"] = true });
        await page.ClickAsync("#challenge-passkey");
        await Assertions.Expect(page.Locator("#challenge-error")).ToContainTextAsync("That passkey was not accepted — 4 tries left.");
        await Chromium.ScreenshotAsync(page, "passkey-refused");
        await Assertions.Expect(page.Locator("#main-nav")).ToBeHiddenAsync();
        Assert.Null(Assert.Single(await ListedPasskeysAsync(user.UserId)).GetProperty("lastUsedAt").GetString());

        // The same passkey with its real signature is accepted: the signature alone was refused.
        await authenticator.SendAsync("WebAuthn.setResponseOverrideBits", new() { ["isBogusSignature"] = false });
        await page.ClickAsync("#challenge-passkey");
        await Assertions.Expect(page.Locator("#signed-in-as")).ToContainTextAsync(user.DisplayName);
    }

    [Fact]
    public async Task SignIn_PasskeyWithoutUserVerification_RefusedAndThePageSaysSo()
    {
        var user = await App.UserAsync("user003");
        var (page, authenticator) = await NewPageWithAuthenticatorAsync();
        await AddPasskeyAsync(page, user, "No fingerprint");
        await StartSignInAsync(page, user.UserId);

        // The fingerprint is not recognised: the browser itself refuses the required user verification.
        await authenticator.SendAsync("WebAuthn.setUserVerified", new() { ["isUserVerified"] = false });
        await page.ClickAsync("#challenge-passkey");
        await Assertions.Expect(page.Locator("#challenge-error")).ToContainTextAsync("The passkey was not used");
        await Assertions.Expect(page.Locator("#main-nav")).ToBeHiddenAsync();

        // An authenticator that answers anyway with the UV flag off: the API refuses it, counted as a wrong answer.
        await authenticator.SendAsync("WebAuthn.setUserVerified", new() { ["isUserVerified"] = true });
        await authenticator.SendAsync("WebAuthn.setResponseOverrideBits", new() { ["isBadUV"] = true });
        await page.ClickAsync("#challenge-passkey");
        await Assertions.Expect(page.Locator("#challenge-error")).ToContainTextAsync("That passkey was not accepted — 4 tries left.");
        await Assertions.Expect(page.Locator("#main-nav")).ToBeHiddenAsync();
        Assert.Null(Assert.Single(await ListedPasskeysAsync(user.UserId)).GetProperty("lastUsedAt").GetString());

        // Verified again (the fingerprint read this time): signed in.
        await authenticator.SendAsync("WebAuthn.setResponseOverrideBits", new() { ["isBadUV"] = false });
        await page.ClickAsync("#challenge-passkey");
        await Assertions.Expect(page.Locator("#signed-in-as")).ToContainTextAsync(user.DisplayName);
    }

    [Fact]
    public async Task User_RenamesThePasskeyWithoutProof_ThenRemovesItProvingWithThePasskeyItself()
    {
        var user = await App.UserAsync("user001");
        var (page, authenticator) = await NewPageWithAuthenticatorAsync();
        await AddPasskeyAsync(page, user, "Old name");

        // A name is not a factor: the rename pop-up saves it without a proof.
        await page.ClickAsync("#passkey-list button:has-text('Rename')");
        await Assertions.Expect(page.Locator("#rename-dialog")).ToBeVisibleAsync();
        await page.FillAsync("#rename-name", "Work laptop");
        await page.ClickAsync("#rename-save");
        await Assertions.Expect(page.Locator("#rename-dialog")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#passkeys-message")).ToContainTextAsync("The passkey is now called “Work laptop”.");
        Assert.Equal("Work laptop", Assert.Single(await ListedPasskeysAsync(user.UserId)).GetProperty("name").GetString());

        // Removing is a factor change: the proof pop-up offers the passkey, and pressing it alone (no code typed) proves it.
        var signCount = Assert.Single(await authenticator.CredentialsAsync()).GetProperty("signCount").GetInt32();
        await page.ClickAsync("#passkey-list button:has-text('Remove')");
        await Assertions.Expect(page.Locator("#verify-passkey")).ToBeVisibleAsync();
        await Chromium.ScreenshotAsync(page, "passkey-proof");
        await page.ClickAsync("#verify-passkey");
        await Assertions.Expect(page.Locator("#verify-dialog")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#passkeys-message")).ToContainTextAsync("The passkey “Work laptop” was removed.");
        await Assertions.Expect(page.Locator("#passkeys-empty")).ToBeVisibleAsync();
        Assert.Empty(await ListedPasskeysAsync(user.UserId));
        Assert.True(Assert.Single(await authenticator.CredentialsAsync()).GetProperty("signCount").GetInt32() > signCount);
    }

    /// <summary>A page whose browser context has a virtual CTAP2 platform authenticator with resident keys and UV.</summary>
    private async Task<(IPage Page, VirtualAuthenticator Authenticator)> NewPageWithAuthenticatorAsync()
    {
        var page = await Browser.NewPageAsync();
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable");
        var added = await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
        return (page, new VirtualAuthenticator(cdp, added!.Value.GetProperty("authenticatorId").GetString()!));
    }

    /// <summary>
    /// The user signs in with the emailed code, then adds a passkey in My Account: a code over the email proves it's
    /// them first, then the browser's dialog (the virtual authenticator) creates the passkey.
    /// </summary>
    private async Task AddPasskeyAsync(IPage page, DirectoryUser user, string name)
    {
        var mailBefore = await App.MailCountAsync(user.Email!);
        await App.OpenSignInAsync(page, user.UserId);
        await page.ClickAsync("#signin-submit");
        await page.FillAsync("#challenge-code", await App.ReadCodeAsync(user.Email!, mailBefore + 1));
        await Assertions.Expect(page.Locator("#challenge-passkey")).ToBeHiddenAsync(); // no passkey yet
        await page.ClickAsync("#challenge-verify");
        await Assertions.Expect(page.Locator("#signed-in-as")).ToContainTextAsync(user.DisplayName);

        await page.ClickAsync("#nav-account");
        await Assertions.Expect(page.Locator("#passkeys-empty")).ToBeVisibleAsync();
        await page.FillAsync("#passkey-name", name);
        mailBefore = await App.MailCountAsync(user.Email!);
        await page.ClickAsync("#passkey-add");
        await Assertions.Expect(page.Locator("#verify-dialog")).ToBeVisibleAsync();
        await page.ClickAsync("#verify-send");
        await page.FillAsync("#verify-code", await App.ReadCodeAsync(user.Email!, mailBefore + 1));
        await page.ClickAsync("#verify-submit");
        await Assertions.Expect(page.Locator("#passkeys-message")).ToContainTextAsync($"The passkey “{name}” was added.");
        await Assertions.Expect(page.Locator("#passkey-list")).ToContainTextAsync(name);
        await Chromium.ScreenshotAsync(page, "passkeys");
    }

    /// <summary>Signs out and starts a new sign-in, up to the second step offering the passkey.</summary>
    private async Task StartSignInAsync(IPage page, string userId)
    {
        await page.ClickAsync("#nav-signout");
        await App.OpenSignInAsync(page, userId);
        await page.ClickAsync("#signin-submit");
        await Assertions.Expect(page.Locator("#challenge-passkey")).ToBeVisibleAsync();
    }

    /// <summary>The user's passkeys as the API lists them (read with the function key, as an admin would).</summary>
    private async Task<List<JsonElement>> ListedPasskeysAsync(string userId)
    {
        using var server = App.Server();
        server.DefaultRequestHeaders.Add("X-Actor-Id", "admin");
        var listing = await PortalApp.JsonAsync(await server.GetAsync($"api/tenants/{PortalApp.TenantId}/users/{userId}/passkeys"));
        return [.. listing.GetProperty("passkeys").EnumerateArray()];
    }

    /// <summary>One virtual authenticator of the page's browser, driven over its DevTools session.</summary>
    private sealed record VirtualAuthenticator(ICDPSession Cdp, string Id)
    {
        public Task<JsonElement?> SendAsync(string method, Dictionary<string, object> args)
        {
            args["authenticatorId"] = Id;
            return Cdp.SendAsync(method, args);
        }

        public async Task<List<JsonElement>> CredentialsAsync()
        {
            var result = await SendAsync("WebAuthn.getCredentials", []);
            return [.. result!.Value.GetProperty("credentials").EnumerateArray()];
        }
    }
}
