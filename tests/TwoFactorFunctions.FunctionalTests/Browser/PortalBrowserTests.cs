using Microsoft.Playwright;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.FunctionalTests.Infrastructure;
using TwoFactorFunctions.FunctionalTests.Support;

namespace TwoFactorFunctions.FunctionalTests.Browser;

/// <summary>The demo portal's sign-in and My Account screens in a real browser against the real API, Azurite and MailDev.</summary>
[Collection(ServicesGroup.Name)]
public sealed class PortalBrowserTests(TestServices services) : PortalBrowserTest(services)
{
    [Fact]
    public async Task SignIn_EmailCodeFromMailDev_SignedInAndTheRememberedDeviceSkipsTheNextChallenge()
    {
        var user = await App.UserAsync("user002");
        var mailBefore = await App.MailCountAsync(user.Email!);
        var page = await Browser.NewPageAsync();
        await App.OpenSignInAsync(page, "user002");
        await Chromium.ScreenshotAsync(page, "sign-in");
        await page.ClickAsync("#signin-submit");

        await Assertions.Expect(page.Locator("#challenge-destination")).ToContainTextAsync("@");
        var code = await App.ReadCodeAsync(user.Email!, mailBefore + 1);
        await page.FillAsync("#challenge-code", code == "000000" ? "111111" : "000000");
        await page.ClickAsync("#challenge-verify");
        await Assertions.Expect(page.Locator("#challenge-error")).ToContainTextAsync("4");
        await Chromium.ScreenshotAsync(page, "email-authentication");

        await page.FillAsync("#challenge-code", code);
        await page.CheckAsync("#challenge-remember");
        await page.ClickAsync("#challenge-verify");
        await Assertions.Expect(page.Locator("#signed-in-as")).ToContainTextAsync(user.DisplayName);
        await Chromium.ScreenshotAsync(page, "home");

        // Signed out and in again on this browser: the remembered device answers the second factor.
        await page.ClickAsync("#nav-signout");
        await App.OpenSignInAsync(page, "user002");
        await page.ClickAsync("#signin-submit");
        await Assertions.Expect(page.Locator("#signed-in-as")).ToContainTextAsync(user.DisplayName);
        Assert.Equal(mailBefore + 1, await App.MailCountAsync(user.Email!));
    }

    [Fact]
    public async Task User_OptsInThroughTheVerificationPopUp_TwoFactorOnForThatUser()
    {
        await App.SetTenantAsync(t => t with { TwoFactorEnabled = true, Mode = TwoFactorMode.UserOptIn, Channel = Channel.Email });
        var user = await App.UserAsync("user003");
        var mailBefore = await App.MailCountAsync(user.Email!);
        Assert.False(user.TwoFactorEnabled);
        var page = await Browser.NewPageAsync();
        await App.OpenSignInAsync(page, "user003");
        await page.ClickAsync("#signin-submit");
        await page.ClickAsync("#nav-account");
        await Assertions.Expect(page.Locator("#account-2fa-status")).ToHaveTextAsync("Off");

        await page.ClickAsync("#account-2fa-toggle");
        await Assertions.Expect(page.Locator("#verify-dialog")).ToBeVisibleAsync();
        await page.ClickAsync("#verify-send");
        var code = await App.ReadCodeAsync(user.Email!, mailBefore + 1);
        await page.FillAsync("#verify-code", code);
        await Chromium.ScreenshotAsync(page, "user-settings-verify");
        await page.ClickAsync("#verify-submit");

        await Assertions.Expect(page.Locator("#account-2fa-status")).ToHaveTextAsync("On");
        await Chromium.ScreenshotAsync(page, "user-settings");
        Assert.True((await App.UserAsync("user003")).TwoFactorEnabled);
    }

    [Fact]
    public async Task User_ChangesEmail_ProvesTheCurrentEmailFirstThenTheNewOne()
    {
        var user = await App.UserAsync("user005");
        var oldEmail = user.Email!;
        var newEmail = $"user005.new.{Guid.NewGuid():N}@demo.example";
        await App.SetTenantAsync(t => t with { TwoFactorEnabled = true, Mode = TwoFactorMode.RequiredForAll, Channel = Channel.Email });
        var signInMail = await App.MailCountAsync(oldEmail);
        var page = await Browser.NewPageAsync();
        await App.OpenSignInAsync(page, "user005");
        await page.ClickAsync("#signin-submit");
        await page.FillAsync("#challenge-code", await App.ReadCodeAsync(oldEmail, signInMail + 1));
        await page.ClickAsync("#challenge-verify");
        await Assertions.Expect(page.Locator("#signed-in-as")).ToContainTextAsync(user.DisplayName);
        await page.ClickAsync("#nav-account");

        // The pop-up asks for a code over the current email before anything goes to the new one.
        var mailBefore = await App.MailCountAsync(oldEmail);
        await page.FillAsync("#contact-email", newEmail);
        await page.ClickAsync("#contact-start");
        await Assertions.Expect(page.Locator("#verify-dialog")).ToBeVisibleAsync();
        Assert.Equal(0, await App.MailCountAsync(newEmail));
        await page.ClickAsync("#verify-send");
        await page.FillAsync("#verify-code", await App.ReadCodeAsync(oldEmail, mailBefore + 1));
        await page.ClickAsync("#verify-submit");

        // Then the new address's own code completes the change; the old address is told.
        await Assertions.Expect(page.Locator("#contact-code")).ToBeEnabledAsync();
        await page.FillAsync("#contact-code", await App.ReadCodeAsync(newEmail, 1));
        await Chromium.ScreenshotAsync(page, "contact-change");
        await page.ClickAsync("#contact-complete");
        await Assertions.Expect(page.Locator("#contact-message")).ToContainTextAsync("updated");
        Assert.Equal(newEmail, (await App.UserAsync("user005")).Email);
        Assert.True(await App.MailCountAsync(oldEmail) >= mailBefore + 2);
    }

    [Fact]
    public async Task User_EnrolsAnAuthenticatorFromTheQr_SignsInWithItThenWithARecoveryCode()
    {
        var user = await App.UserAsync("user004");
        var mailBefore = await App.MailCountAsync(user.Email!);
        var page = await Browser.NewPageAsync();

        // First sign-in: the emailed code, as before any app is enrolled.
        await App.OpenSignInAsync(page, "user004");
        await page.ClickAsync("#signin-submit");
        await page.FillAsync("#challenge-code", await App.ReadCodeAsync(user.Email!, mailBefore + 1));
        await page.ClickAsync("#challenge-verify");
        await Assertions.Expect(page.Locator("#signed-in-as")).ToContainTextAsync(user.DisplayName);

        // My Account → add the app: prove the email first, then the QR, then the app's first code.
        await page.ClickAsync("#nav-account");
        await Assertions.Expect(page.Locator("#factors-status")).ToHaveTextAsync("Off");
        mailBefore = await App.MailCountAsync(user.Email!);
        await page.ClickAsync("#authenticator-add");
        await Assertions.Expect(page.Locator("#verify-dialog")).ToBeVisibleAsync();
        await page.ClickAsync("#verify-send");
        await page.FillAsync("#verify-code", await App.ReadCodeAsync(user.Email!, mailBefore + 1));
        await page.ClickAsync("#verify-submit");
        await Assertions.Expect(page.Locator("#authenticator-qr")).ToBeVisibleAsync();
        Assert.StartsWith("data:image/png;base64,", await page.Locator("#authenticator-qr").GetAttributeAsync("src"), StringComparison.Ordinal);
        var secret = OtpNet.Base32Encoding.ToBytes((await page.Locator("#authenticator-secret").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal).Trim());
        SecretScan.SawTotpSecret(OtpNet.Base32Encoding.ToString(secret), null);
        await page.FillAsync("#authenticator-code", Totp(secret, 0));
        await Chromium.ScreenshotAsync(page, "authenticator-enrol");
        await page.ClickAsync("#authenticator-confirm");
        await Assertions.Expect(page.Locator("#factors-status")).ToHaveTextAsync("On");
        var recoveryCodes = System.Text.RegularExpressions.Regex.Matches(await page.Locator("#recovery-codes").InnerTextAsync(), @"[A-Za-z0-9]{4,}(?:-[A-Za-z0-9]{4,})+")
            .Select(m => m.Value).ToList();
        Assert.Equal(10, recoveryCodes.Count);
        recoveryCodes.ForEach(SecretScan.Saw);
        await Chromium.ScreenshotAsync(page, "recovery-codes");

        // Next sign-in with the app (the next time step: the one just used for enrolling would be a replay).
        await page.ClickAsync("#nav-signout");
        await App.OpenSignInAsync(page, "user004");
        await page.ClickAsync("#signin-submit");
        await page.SelectOptionAsync("#challenge-factor", "Authenticator");
        await page.FillAsync("#challenge-code", Totp(secret, 1));
        await page.ClickAsync("#challenge-verify");
        await Assertions.Expect(page.Locator("#signed-in-as")).ToContainTextAsync(user.DisplayName);

        // Phone lost: a recovery code gets the user in, once.
        await page.ClickAsync("#nav-signout");
        await App.OpenSignInAsync(page, "user004");
        await page.ClickAsync("#signin-submit");
        await page.SelectOptionAsync("#challenge-factor", "RecoveryCode");
        await page.FillAsync("#challenge-recovery", recoveryCodes[0]);
        await page.ClickAsync("#challenge-verify");
        await Assertions.Expect(page.Locator("#signed-in-as")).ToContainTextAsync(user.DisplayName);
    }

    [Fact]
    public async Task SignIn_SmsCodeReadThroughTheOutboxLink_SignedIn()
    {
        await App.SetTenantAsync(t => t with { Channel = Channel.Sms });
        var user = await App.UserAsync("user003");
        var page = await Browser.NewPageAsync();

        // The link follows the user picked: none for a user without a phone.
        await App.OpenSignInAsync(page, "user002");
        await Assertions.Expect(page.Locator("#outbox-hint")).ToBeHiddenAsync();
        await App.OpenSignInAsync(page, "user003");
        await Assertions.Expect(page.Locator("#link-outbox")).ToHaveAttributeAsync("href", "/demo/api/outbox/user003");
        await Assertions.Expect(page.Locator("#link-outbox")).ToContainTextAsync(user.Phone!);
        await page.ClickAsync("#signin-submit");
        await Assertions.Expect(page.Locator("#challenge-destination")).ToContainTextAsync(user.Phone![^2..]);

        var outbox = await page.Context.RunAndWaitForPageAsync(() => page.ClickAsync("#link-outbox"));
        Assert.Equal($"{App.PageOrigin}/demo/api/outbox/user003", outbox.Url);
        var shown = await outbox.ReloadAsync(); // the tab's own document, as the browser fetched it (not its JSON viewer)
        using var messages = System.Text.Json.JsonDocument.Parse(await shown!.TextAsync());
        var newest = messages.RootElement[0].GetProperty("text").GetString()!;
        var code = System.Text.RegularExpressions.Regex.Match(newest, @"\b(\d{6})\b").Groups[1].Value;
        Assert.Matches("^[0-9]{6}$", code);
        SecretScan.Saw(code);

        await page.FillAsync("#challenge-code", code);
        await page.ClickAsync("#challenge-verify");
        await Assertions.Expect(page.Locator("#signed-in-as")).ToContainTextAsync(user.DisplayName);
    }

    [Fact]
    public async Task Cors_PageOfAnUnknownOrigin_BrowserRefusesItTheApiWhileThePortalGetsAnswers()
    {
        const string Probe = """
            async (url) => {
              try {
                const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-challenge-token': 'x' }, body: '{}' });
                return 'answered ' + r.status;
              } catch (e) { return 'refused'; }
            }
            """;
        var url = $"{App.ApiOrigin}/api/tenants/{PortalApp.TenantId}/challenges/none/verify";
        var page = await Browser.NewPageAsync();

        await page.GotoAsync(App.PageOrigin + "/demo/");
        Assert.Equal("answered 401", await page.EvaluateAsync<string>(Probe, url));

        // MailDev's web UI: another origin on this machine, not in the API's list.
        await page.GotoAsync(Services.MailDev.WebUrl.ToString());
        Assert.Equal("refused", await page.EvaluateAsync<string>(Probe, url));
    }

    /// <summary>The app's code for the current time step plus <paramref name="steps"/> (±1 is the accepted drift).</summary>
    private static string Totp(byte[] secret, int steps)
    {
        var code = Core.Factors.TotpCodes.Compute(secret, DateTimeOffset.UtcNow.AddSeconds(Core.Factors.TotpCodes.StepSeconds * steps));
        SecretScan.Saw(code);
        return code;
    }
}
