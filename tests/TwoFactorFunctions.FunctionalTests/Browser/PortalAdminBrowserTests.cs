using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.FunctionalTests.Infrastructure;

namespace TwoFactorFunctions.FunctionalTests.Browser;

/// <summary>The demo portal's Enhanced Security screen (the admin's company-wide switch) in a real browser against the real API, Azurite and MailDev.</summary>
[Collection(ServicesGroup.Name)]
public sealed class PortalAdminBrowserTests(TestServices services) : PortalBrowserTest(services)
{
    [Fact]
    public async Task Admin_EnablesTwoFactorForTheCompany_WatchesTheRunFinishWithTheRightCounts()
    {
        await App.SetTenantAsync(t => t with { TwoFactorEnabled = false });
        var page = await Browser.NewPageAsync();
        await App.OpenSignInAsync(page, "admin");
        await page.ClickAsync("#signin-submit");
        await page.ClickAsync("#nav-security");

        // The form opens disabled and is filled in from the current settings first.
        await Assertions.Expect(page.Locator("#security-save")).ToBeEnabledAsync();
        await Assertions.Expect(page.Locator("#security-disable")).ToBeCheckedAsync();
        await page.CheckAsync("#security-enable");
        await page.SelectOptionAsync("#security-mode", "RequiredForAll");
        await page.SelectOptionAsync("#security-channel", "Email");
        await Chromium.ScreenshotAsync(page, "enhanced-security");
        await page.ClickAsync("#security-save");
        await Assertions.Expect(page.Locator("#confirm-dialog")).ToBeVisibleAsync();
        await Chromium.ScreenshotAsync(page, "enhanced-security-confirm");
        await Assertions.Expect(page.Locator("#confirm-dialog")).ToContainTextAsync("enrolled");
        await page.ClickAsync("#confirm-yes");

        await Assertions.Expect(page.Locator("#run-summary")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 90_000 });
        await Chromium.ScreenshotAsync(page, "enrolment-summary");
        async Task<int> Count(string id) => int.Parse((await page.Locator(id).InnerTextAsync()).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        // The demo company: the admin and 150 users, every 25th inactive (skipped), everyone active has an email.
        var (total, successful, unchanged, notExists, skipped, failed) =
            (await Count("#run-total"), await Count("#run-successful"), await Count("#run-unchanged"), await Count("#run-notexists"), await Count("#run-skipped"), await Count("#run-failed"));
        Assert.Equal((151, 6, 0), (total, skipped, failed));
        Assert.Equal(total, successful + unchanged + notExists + skipped + failed);
        Assert.True((await App.AppServices.GetRequiredService<Core.Storage.ITenantStore>().GetAsync(PortalApp.TenantId, default))!.TwoFactorEnabled);
    }

    [Fact]
    public async Task Admin_SwitchesTwoFactorOff_TheCodePopUpSendsAStepUpCodeAtOnceAndOnlyItsCodeSaves()
    {
        // Signed in while the company has 2FA off (no code), then it is on: switching it off now needs the step-up.
        await App.SetTenantAsync(t => t with { TwoFactorEnabled = false });
        var admin = await App.UserAsync("admin");
        var page = await Browser.NewPageAsync();
        await App.OpenSignInAsync(page, "admin");
        await page.ClickAsync("#signin-submit");
        await Assertions.Expect(page.Locator("#signed-in-as")).ToContainTextAsync(admin.DisplayName);
        await App.SetTenantAsync(t => t with { TwoFactorEnabled = true, Mode = TwoFactorMode.RequiredForAll, Channel = Channel.Email });
        var mailBefore = await App.MailCountAsync(admin.Email!);
        await page.ClickAsync("#nav-security");
        await Assertions.Expect(page.Locator("#security-enable")).ToBeCheckedAsync();
        await page.CheckAsync("#security-disable");
        await page.ClickAsync("#security-save");
        await page.ClickAsync("#confirm-yes");

        // The same pop-up as the user's own changes, titled for the admin, with the code already on its way.
        await Assertions.Expect(page.Locator("#verify-title")).ToHaveTextAsync("Confirm it's you");
        await Assertions.Expect(page.Locator("#verify-info")).ToContainTextAsync("Code sent by email");
        var code = await App.ReadCodeAsync(admin.Email!, mailBefore + 1);
        await page.FillAsync("#verify-code", code == "000000" ? "111111" : "000000");
        await page.ClickAsync("#verify-submit");
        await Assertions.Expect(page.Locator("#verify-error")).ToContainTextAsync("tries left");
        await page.FillAsync("#verify-code", code);
        await page.ClickAsync("#verify-submit");

        await Assertions.Expect(page.Locator("#verify-dialog")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#run-summary")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 90_000 });
        Assert.False((await App.AppServices.GetRequiredService<Core.Storage.ITenantStore>().GetAsync(PortalApp.TenantId, default))!.TwoFactorEnabled);
    }
}
