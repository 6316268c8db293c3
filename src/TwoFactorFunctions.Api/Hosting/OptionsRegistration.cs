using Microsoft.Extensions.Options;

namespace TwoFactorFunctions.Api.Hosting;

public static class OptionsRegistration
{
    /// <summary>
    /// Binds options, validates them when the host starts (a bad setting stops startup, not the first request) and
    /// registers the bound instance itself so the host-agnostic core can take it without IOptions.
    /// </summary>
    public static IServiceCollection AddValidatedOptions<T>(this IServiceCollection services, IConfiguration section, Func<T, IEnumerable<string>> validate)
        where T : class
    {
        services.AddOptions<T>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new DelegateValidation<T>(validate));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
        return services;
    }

    private sealed class DelegateValidation<T>(Func<T, IEnumerable<string>> validate) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var failures = validate(options).ToList();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
