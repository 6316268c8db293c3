using Microsoft.Extensions.Options;

namespace TwoFactorFunctions.Api.Hosting.Options;

/// <summary>
/// A validator for the rules attributes cannot state: across settings, or depending on the environment. One message
/// per rule, each naming the key, so the start-up failure says what to fix.
/// </summary>
public abstract class OptionsRules<T> : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var failures = Check(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The failures, one message each; none when the options are fine.</summary>
    public abstract IEnumerable<string> Check(T options);
}
