using Microsoft.Extensions.Options;
using TwoFactorFunctions.Api.Hosting.Options;
using TwoFactorFunctions.App.DemoPortal;
using TwoFactorFunctions.App.Durable;

namespace TwoFactorFunctions.App.Hosting;

// The standalone host's own options, validated like the shared ones (Api/Hosting/Options).

[OptionsValidator]
public sealed partial class DurableOptionsValidator : IValidateOptions<DurableOptions>;

/// <summary>The demo portal signs users in with one shared password: Development only, and not a trivial one.</summary>
public sealed class DemoPortalOptionsRules(IHostEnvironment environment) : OptionsRules<DemoPortalOptions>
{
    private const string Section = DemoPortalOptions.Section;

    public override IEnumerable<string> Check(DemoPortalOptions options)
    {
        if (options.Enabled && !environment.IsDevelopment())
        {
            yield return $"{Section}:Enabled signs users in with a shared password and is allowed only in Development.";
        }

        if (options.Enabled && options.Password.Length < 8)
        {
            yield return $"{Section}:Password must be at least 8 characters.";
        }
    }
}
