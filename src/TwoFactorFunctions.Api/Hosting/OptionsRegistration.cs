using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace TwoFactorFunctions.Api.Hosting;

public static class OptionsRegistration
{
    /// <summary>
    /// Binds a section, validates it when the host starts (a bad setting stops startup, not the first request) with
    /// <typeparamref name="TValidator"/> (the source-generated DataAnnotations validator, or a rules class), and
    /// registers the bound instance itself so the host-agnostic core can take it without IOptions. Further validators
    /// for the same options: <see cref="AddOptionsValidator{T, TValidator}"/>.
    /// </summary>
    public static IServiceCollection AddValidatedOptions<T, TValidator>(this IServiceCollection services, IConfiguration section)
        where T : class
        where TValidator : class, IValidateOptions<T>
    {
        services.AddOptions<T>().Bind(section).ValidateOnStart();
        services.AddOptionsValidator<T, TValidator>();
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
        return services;
    }

    /// <summary>One more validator of <typeparamref name="T"/>; the options system runs them all and reports every failure.</summary>
    public static IServiceCollection AddOptionsValidator<T, TValidator>(this IServiceCollection services)
        where T : class
        where TValidator : class, IValidateOptions<T>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, TValidator>());
        return services;
    }
}
