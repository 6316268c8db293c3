using Microsoft.Extensions.Options;

namespace TwoFactorFunctions.UnitTests.Options;

/// <summary>Runs validators as the options factory does at start: every one of them, failures collected.</summary>
internal static class OptionsFailures
{
    public static List<string> Of<T>(T options, params IValidateOptions<T>[] validators)
        where T : class =>
        validators.Select(v => v.Validate(Microsoft.Extensions.Options.Options.DefaultName, options))
            .Where(r => r.Failed)
            .SelectMany(r => r.Failures ?? [])
            .ToList();
}
