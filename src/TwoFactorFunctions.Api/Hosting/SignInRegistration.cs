using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Challenges.Verifiers;

namespace TwoFactorFunctions.Api.Hosting;

/// <summary>The sign-in: its decision, issuing, verifying, and one verifier per factor.</summary>
public static class SignInRegistration
{
    public static IServiceCollection AddSignIn(this IServiceCollection services)
    {
        services.AddSingleton<ChallengeViews>();
        services.AddSingleton<ChallengeService>();
        services.AddSingleton<ChallengeIssuer>();
        services.AddSingleton<SignInService>();
        services.AddSingleton<VerifyStateReader>();
        services.AddSingleton<SignInCompletion>();
        services.AddSingleton<ChallengeVerifier>();

        // A new factor is a new IFactorVerifier and one line here; the verifier dispatches on IFactorVerifier.Factor.
        services.AddSingleton<IFactorVerifier, CodeVerifier>();
        services.AddSingleton<IFactorVerifier, AuthenticatorVerifier>();
        services.AddSingleton<IFactorVerifier, RecoveryCodeVerifier>();
        services.AddSingleton<IFactorVerifier, PasskeyVerifier>();
        services.AddSingleton<PasskeyCeremonies>();
        services.AddSingleton<RecoveryCodeUseNotice>();
        return services;
    }
}
