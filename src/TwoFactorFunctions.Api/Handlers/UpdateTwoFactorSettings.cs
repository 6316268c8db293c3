using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.Core.Factors;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// PUT <see cref="TwoFactorSettingsApi.Routes.TwoFactor"/> — change the settings (omitted fields stay as they are). 200 when the change
/// needs no run; 202 with Location = the run's status when it starts one (enable, disable, mode or channel change);
/// 409 <c>enrolment_run_active</c> while another run is working; 403 <c>verification_required</c> when a weakening
/// change by an admin who has 2FA lacks a fresh verifiedChallengeId (see POST .../two-factor/step-up). <c>factors</c>
/// replaces the factor policy (allowed, preferred, authenticatorRequiredForAdmins, phishingResistantRequiredForAdmins);
/// allowing Code or RecoveryCode where they were not, or dropping either admins' requirement, is weakening.
/// </summary>
public static class UpdateTwoFactorSettings
{
    public sealed record Body(
        bool? Enabled,
        TwoFactorMode? Mode,
        Channel? Channel,
        int? CodeLifetimeMinutes,
        int? DeviceTrustDays,
        bool? SkipFirstSignIn,
        string? VerifiedChallengeId,
        FactorPolicy? Factors);

    /// <summary>The 202 body, after Durable Functions' check-status response: the run id and where to poll it.</summary>
    public sealed record RunStarted(string Id, string StatusQueryGetUri, TwoFactorSettings Settings, EnrolmentRunStatus Run);

    public static async Task<Results<Ok<TwoFactorSettings>, Accepted<RunStarted>, ProblemHttpResult>> HandleAsync(
        string tenantId, [FromHeader(Name = TwoFactorSettingsApi.ActorHeader)] string? actorId, Body body,
        TenantSettingsUpdater settings, HttpContext context, CancellationToken cancellationToken)
    {
        var change = new SettingsChange(body.Enabled, body.Mode, body.Channel, body.CodeLifetimeMinutes, body.DeviceTrustDays,
            body.SkipFirstSignIn, body.VerifiedChallengeId) { Factors = body.Factors };
        var result = await settings.UpdateAsync(tenantId, actorId, change, context.EnrolmentEngine(), cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiProblem.From(result.Error, context);
        }

        var update = result.Value;
        if (update.Run is not { } run)
        {
            return TypedResults.Ok(update.Settings);
        }

        var location = TwoFactorSettingsApi.RunLocation(tenantId, run.RunId);
        return TypedResults.Accepted(location, new RunStarted(run.RunId, location, update.Settings, EnrolmentRunStatus.From(run, null, null)));
    }
}
