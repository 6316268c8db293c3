using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Http;

namespace TwoFactorFunctions.Api.Apis;

/// <summary>A user's passkeys (WebAuthn): self-service registration and management, and the admin's view.</summary>
public static class PasskeysApi
{
    /// <summary>Each route once, for the map below and the function app's triggers (see <see cref="ChallengesApi.Routes"/>).</summary>
    public static class Routes
    {
        public const string Passkeys = "api/tenants/{tenantId}/users/{userId}/passkeys";
        public const string Registrations = "api/tenants/{tenantId}/users/{userId}/passkeys/registrations";
        public const string Passkey = "api/tenants/{tenantId}/users/{userId}/passkeys/{passkeyId}";
    }

    public static RouteGroupBuilder MapPasskeysApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags("Passkeys").AcceptsAccessTokens();

        api.MapGet(Routes.Passkeys, ListPasskeys.HandleAsync).WithName(nameof(ListPasskeys));
        api.MapPost(Routes.Registrations, StartPasskeyRegistration.HandleAsync).WithName(nameof(StartPasskeyRegistration)).RequiresFactorChangeProof();
        api.MapPost(Routes.Passkeys, FinishPasskeyRegistration.HandleAsync).WithName(nameof(FinishPasskeyRegistration));
        api.MapPatch(Routes.Passkey, RenamePasskey.HandleAsync).WithName(nameof(RenamePasskey));
        api.MapDelete(Routes.Passkey, RemovePasskey.HandleAsync).WithName(nameof(RemovePasskey)).RequiresFactorChangeProof();

        return api;
    }
}
