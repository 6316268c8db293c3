using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Enrolment;

/// <summary>
/// Reads a tenant's 2FA settings and its enrolment runs (admins only), and issues the admin's step-up challenge. Changes
/// go through <see cref="TenantSettingsUpdater"/>.
/// </summary>
/// <remarks>
/// Reading a run that is not over also supervises it (<see cref="EnrolmentRunSupervisor.KickIfStalledAsync"/>): a run
/// whose orchestration never started is started by whoever looks at it.
/// The engine is passed per call: under the Functions host it is the invocation's Durable client binding.
/// </remarks>
public sealed class TenantSettingsService(
    ITenantStore tenants,
    IEnrolmentRunStore runs,
    EnrolmentRunSupervisor supervisor,
    ActorRules actors,
    FactorChangeProofs proofs)
{
    public async Task<Result<TwoFactorSettings>> GetAsync(string tenantId, string? actorId, IEnrolmentEngine engine, CancellationToken cancellationToken)
    {
        var ctx = await LoadAsync(tenantId, actorId, cancellationToken);
        if (!ctx.IsSuccess)
        {
            return ctx.Error;
        }

        var tenant = ctx.Value.Tenant;
        if (tenant.ActiveRunId is { } active && await runs.GetAsync(tenantId, active, cancellationToken) is { IsTerminal: false } run)
        {
            await supervisor.KickIfStalledAsync(run, await engine.GetStateAsync(tenantId, run.RunId, cancellationToken), engine, cancellationToken);
        }

        return TwoFactorSettings.From(tenant);
    }

    public async Task<Result<(EnrolmentRun Run, EnrolmentRunState? State)>> GetRunAsync(string tenantId, string runId, string? actorId,
        IEnrolmentEngine engine, CancellationToken cancellationToken)
    {
        var admin = await actors.RequireAdminAsync(tenantId, actorId, cancellationToken);
        if (!admin.IsSuccess)
        {
            return admin.Error;
        }

        var run = await runs.GetAsync(tenantId, runId, cancellationToken);
        if (run is null)
        {
            return RunNotFound;
        }

        var state = await engine.GetStateAsync(tenantId, runId, cancellationToken);
        if (!run.IsTerminal)
        {
            await supervisor.KickIfStalledAsync(run, state, engine, cancellationToken);
        }

        return (run, state);
    }

    /// <summary>
    /// Issues an AdminStepUp challenge to the acting admin (seed B's admin pop-up): a code over the tenant's channel, or
    /// the admin's authenticator where the factor policy allows or requires it.
    /// </summary>
    public async Task<Result<ChallengeView>> CreateStepUpAsync(string tenantId, string? actorId, CancellationToken cancellationToken)
    {
        var ctx = await LoadAsync(tenantId, actorId, cancellationToken);
        if (!ctx.IsSuccess)
        {
            return ctx.Error;
        }

        var (admin, tenant) = ctx.Value;
        return await proofs.IssueAsync(tenant, admin, FactorChangeRule.AdminOperations, ChallengePurpose.AdminStepUp, cancellationToken);
    }

    /// <summary>
    /// The acting admin, then the tenant: in that order, a caller who is not the tenant's admin gets the same answer whether
    /// or not the tenant exists.
    /// </summary>
    private async Task<Result<(DirectoryUser Admin, Tenant Tenant)>> LoadAsync(string tenantId, string? actorId, CancellationToken cancellationToken)
    {
        var admin = await actors.RequireAdminAsync(tenantId, actorId, cancellationToken);
        if (!admin.IsSuccess)
        {
            return admin.Error;
        }

        var tenant = await tenants.GetAsync(tenantId, cancellationToken);
        return tenant is null ? Errors.TenantNotFound : (admin.Value, tenant);
    }

    public static readonly DomainError RunNotFound = new(ErrorKind.NotFound, "run_not_found", "No such enrolment run in this tenant.");
}
